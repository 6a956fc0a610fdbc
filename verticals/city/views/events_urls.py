"""City pages: events (mounted by urls.py under /v/city/)."""
urlpatterns = []
