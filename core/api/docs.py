"""The API's documentation pages, served under the site's Content-Security-Policy."""
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"


# Redoc styles itself with generated <style> elements that cannot carry a nonce, and builds
# its search index in a blob: worker; only this page gets those two allowances.
@method_decorator(csp_update({"style-src-elem": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}), name="get")
class RedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
