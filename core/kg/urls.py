"""The knowledge-graph viewer pages (namespace "kg"); core/urls.py mounts them at /kg/."""
from django.urls import path

from . import views

app_name = "kg"
urlpatterns = [
    path("", views.graph_list, name="graphs"),
    path("graphs/<int:graph_id>/", views.graph_page, name="graph"),
    path("graphs/<int:graph_id>/search/", views.entity_search, name="search"),
]
