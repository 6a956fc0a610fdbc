"""City pages: scheduler (mounted by urls.py under /v/city/)."""
urlpatterns = []
