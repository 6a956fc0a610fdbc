"""City API: scheduler (mounted by api/urls.py under /api/v1/city/)."""
urlpatterns = []
