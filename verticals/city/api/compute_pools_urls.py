"""City API: scheduler (mounted by api/urls.py under /api/v1/city/)."""
from django.urls import path

from . import compute_pools as views

urlpatterns = [
    path("scheduler/pools/", views.PoolList.as_view(), name="city-scheduler-pools"),
    path("scheduler/pools/<int:pool_id>/", views.PoolDetail.as_view(), name="city-scheduler-pool"),
    path("scheduler/algorithms/", views.AlgorithmList.as_view(), name="city-scheduler-algorithms"),
    path("scheduler/algorithms/<slug:name>/call/", views.AlgorithmCall.as_view(), name="city-scheduler-call"),
    path("scheduler/utilisation/", views.Utilisation.as_view(), name="city-scheduler-utilisation"),
]
