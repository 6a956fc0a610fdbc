"""City pages: cameras (mounted by urls.py under /v/city/)."""
urlpatterns = []
