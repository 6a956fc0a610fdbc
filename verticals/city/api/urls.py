"""Mounted by the core at /api/v1/city/. Each subject keeps its own url module."""
from . import cameras_urls, events_urls, map_urls, compute_pools_urls

urlpatterns = [*cameras_urls.urlpatterns, *events_urls.urlpatterns, *map_urls.urlpatterns,
               *compute_pools_urls.urlpatterns]
