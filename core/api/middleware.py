"""Refuses, before any view runs, requests that no view could answer sensibly:
a NUL character in the path or query string (PostgreSQL text cannot hold it, so a
filter on it fails in the database) and a non-multipart body over
DATA_UPLOAD_MAX_MEMORY_SIZE (multipart bodies carry files, which stream to disk and
have their own limit). API paths get the JSON error shape; pages get plain text."""
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from core.api.errors import json_error


def _has_nul(raw: str) -> bool:
    return "\x00" in raw or b"\x00" in unquote_to_bytes(raw)


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        if refusal is None:
            return self.get_response(request)
        message, status = refusal
        if request.path.startswith("/api/"):
            return JsonResponse(json_error(message, status), status=status)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")

    @staticmethod
    def refusal(request):
        if _has_nul(request.path) or _has_nul(request.META.get("QUERY_STRING", "")):
            return "NUL characters are not allowed in the URL", 400
        raw_length = request.META.get("CONTENT_LENGTH") or "0"
        if not raw_length.isascii() or not raw_length.isdigit():
            return "Content-Length is not a whole number", 400
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        if limit is not None and not multipart and int(raw_length) > limit:
            return f"request body over {limit} bytes", 413
        return None
