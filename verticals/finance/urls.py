"""The credit-risk pages, mounted by the core at /v/finance/ (namespace "finance")."""
from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("approvals/<int:request_id>/decide/", views.decide, name="decide"),
    path("inventory/", views.inventory, name="inventory"),
    path("inventory/register/", views.register, name="register"),
    path("inventory/<int:record_id>/status/", views.change_status, name="status"),
    path("models/<int:model_id>/", views.model_detail, name="model"),
    path("models/<int:model_id>/reproductions/", views.reproductions_panel, name="reproductions"),
    path("versions/<int:version_id>/evidence/", views.evidence, name="evidence"),
    path("runs/<int:run_id>/reproduce/", views.reproduce, name="reproduce"),
    path("score/<int:deployment_id>/", views.score_page, name="score"),
]
