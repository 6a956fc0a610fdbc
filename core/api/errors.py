"""Every API error is JSON: {"message": "...", "errors": {field: [...]}, "status": N}."""
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.platform.errors import BadInput, Conflict, NotFound, TooLarge, Unavailable
from core.platform.rest.exceptions import FieldErrors

log = logging.getLogger(__name__)


def _flatten(detail):
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [str(x) if not isinstance(x, (dict, list)) else _flatten(x) for x in detail]
    return [str(detail)]


def _message(errors):
    if isinstance(errors, dict):
        parts = []
        for field, msgs in errors.items():
            text = "; ".join(m if isinstance(m, str) else str(m) for m in (msgs if isinstance(msgs, list) else [msgs]))
            parts.append(text if field in ("non_field_errors", "__all__", "detail") else f"{field}: {text}")
        return " | ".join(parts)
    if isinstance(errors, list):
        return "; ".join(str(e) for e in errors)
    return str(errors)


def _django_validation_errors(exc):
    if hasattr(exc, "message_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def json_error(message, status_code, errors=None):
    body = {"message": message, "status": status_code}
    if errors:
        body["errors"] = errors
    return body


def json_exception_handler(exc, context):
    """Maps action exceptions to HTTP by kind (core.platform.errors): ValidationError and
    BadInput 400, PermissionError 403, NotFound 404, Conflict 409, TooLarge 413,
    Unavailable 503; anything else goes through DRF, then 500."""
    if isinstance(exc, DjangoValidationError):
        errors = _django_validation_errors(exc)
        return Response(json_error(_message(errors), 400, errors), status=400)
    if isinstance(exc, (PermissionError, DjangoPermissionDenied)):
        return Response(json_error(str(exc) or "permission denied", 403), status=403)
    if isinstance(exc, FieldErrors):
        return Response(json_error(str(exc), 400, exc.errors), status=400)
    if isinstance(exc, BadInput):
        errors = {exc.field: [str(exc)]} if exc.field else None
        return Response(json_error(str(exc), 400, errors), status=400)
    if isinstance(exc, NotFound):
        # A KeyError-style message arrives quoted.
        return Response(json_error(str(exc).strip("'\"") or "not found", 404), status=404)
    if isinstance(exc, Conflict):
        return Response(json_error(str(exc), 409), status=409)
    if isinstance(exc, (TooLarge, RequestDataTooBig)):
        return Response(json_error(str(exc) or "request body too large", 413), status=413)
    if isinstance(exc, Unavailable):
        # Retry-After: the service is usually back within a minute (restart, failover).
        return Response(json_error(str(exc), 503), status=503, headers={"Retry-After": str(exc.retry_after_s)})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "not found")
    response = exception_handler(exc, context)
    if response is None:
        log.exception("unhandled API error", exc_info=exc)
        return Response(json_error("internal error; the event was logged", 500), status=500)
    detail = response.data
    if isinstance(detail, dict) and set(detail) == {"detail"}:
        response.data = json_error(str(detail["detail"]), response.status_code)
    else:
        errors = _flatten(detail)
        response.data = json_error(_message(errors), response.status_code, errors)
    return response


def api_not_found(request, exception=None):
    return JsonResponse(json_error(f"no API endpoint at {request.path}", 404), status=404)


def api_server_error(request):
    return JsonResponse(json_error("internal error; the event was logged", 500), status=500)


__all__ = ["json_exception_handler", "api_not_found", "api_server_error", "status"]
