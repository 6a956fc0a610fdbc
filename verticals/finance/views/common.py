"""Helpers shared by the finance pages: fragments for HTMX, messages of refused actions,
who may do what, and the scorecard behind a version."""
import zipfile

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from core.inference import engine
from core.inference.profiles import get_profile
from core.platform import access
from core.platform.lib import roles

SCORECARD_PROFILE = "cpu-scorecard"


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def fragment(request, template, context, status=200):
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def messages_of(exc):
    """The words of a refused action: a ValidationError's messages, or the exception's text."""
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]


def can(user, capability, organisation):
    return access.can(user, capability, organisation)


def can_govern(user, organisation):
    """Developers move a model into and out of development; approvers do the rest."""
    return can(user, roles.DEVELOP, organisation) or can(user, roles.APPROVE, organisation)


def scorecard_of(version):
    """The scorecard JSON inside a version's bundle, loaded (hash-verified) by the engine,
    or None when the bundle is not a scorecard or cannot be loaded here."""
    try:
        loaded = engine.get_loaded(version, get_profile(SCORECARD_PROFILE))
    except (engine.ModelLoadError, engine.ProfileRefused, LookupError, OSError, ValueError, zipfile.BadZipFile):
        # Not a scorecard bundle (or not loadable on this host): the pages show what they can without it.
        return None
    return getattr(loaded.model, "scorecard", None)
