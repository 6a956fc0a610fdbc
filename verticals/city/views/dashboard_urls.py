"""City pages: the dashboard (mounted by urls.py under /v/city/)."""
urlpatterns = []
