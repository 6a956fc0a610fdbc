"""City pages: map (mounted by urls.py under /v/city/)."""
urlpatterns = []
