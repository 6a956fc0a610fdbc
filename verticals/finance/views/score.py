"""Score one applicant on a scorecard deployment, from a form generated from the
scorecard's field schema: score, probability of default, reason codes, model version."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.inference.actions.predict import DeploymentUnavailable
from core.platform.lib import roles

from .. import queries
from ..actions.scoring import score
from ..codecs import RecordErrors
from . import present
from .common import can, fragment, scorecard_of

MAX_VALUE_CHARS = 200


def _context(request, deployment, card, **extra):
    return {"deployment": deployment, "version": deployment.model_version, "model": deployment.model_version.model,
            "scorecard": card, "can_score": can(request.user, roles.PREDICT, deployment.organisation),
            "active": deployment.status == deployment.Status.ACTIVE,
            "score_range": (card or {}).get("score_range") or {}, **extra}


@login_required
def score_page(request, deployment_id):
    deployment = get_object_or_404(queries.scorecard_deployments(request.user).select_related(
        "model_version__artifact"), pk=deployment_id)
    card = scorecard_of(deployment.model_version)
    if request.method != "POST":
        return fragment(request, "finance/score.html", _context(
            request, deployment, card, fields=present.score_fields(card)))
    if not can(request.user, roles.PREDICT, deployment.organisation):
        raise PermissionDenied(_("Scoring applicants needs the operator, developer or admin role."))
    values = {k: str(v)[:MAX_VALUE_CHARS] for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    errors, result, problem, status = {}, None, None, 200
    if card is None:
        problem, status = _("The scorecard behind this deployment cannot be loaded."), 503
    else:
        try:
            body = score(deployment, present.record_from(values, card), acting_user=request.user)
        except RecordErrors as exc:
            errors, status = exc.errors, 400
            problem = _("Some fields need attention.")
        except PermissionError as exc:
            raise PermissionDenied(str(exc)) from None
        except DeploymentUnavailable as exc:
            problem, status = _("The deployment cannot score right now: %(why)s") % {"why": exc}, 503
        else:
            result = present.score_result(body, card)
    known = {f["name"] for f in present.score_fields(card)}
    other = {k: v for k, v in errors.items() if k not in known}
    context = _context(request, deployment, card, fields=present.score_fields(card, values, errors), result=result,
                       problem=problem, other_errors=other)
    template = "finance/partials/score_panel.html" if request.headers.get("HX-Request") == "true" \
        else "finance/score.html"
    return fragment(request, template, context, status=status)
