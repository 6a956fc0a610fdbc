"""The city pages, mounted by the core at /v/city/ (namespace "city"). Each subject keeps
its own url module under views/."""
from .views import cameras_urls, dashboard_urls, events_urls, map_urls, compute_pools_urls

app_name = "city"
urlpatterns = [*dashboard_urls.urlpatterns, *cameras_urls.urlpatterns, *events_urls.urlpatterns,
               *map_urls.urlpatterns, *compute_pools_urls.urlpatterns]
