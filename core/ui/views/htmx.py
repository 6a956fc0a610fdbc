from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def wants_fragment(request) -> bool:
    """HTMX asked for a piece of the page. A history restore asks for the whole page
    (the browser has no surrounding layout to put a fragment into)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def render_page(request, page_template, fragment_template, context, status=200):
    template = fragment_template if wants_fragment(request) else page_template
    response = render(request, template, context, status=status)
    # Same URL, two bodies: caches and the back button must not mix them up.
    patch_vary_headers(response, ["HX-Request"])
    return response
