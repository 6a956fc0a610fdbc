"""The checker's step on the model page, for every vertical: an approver of the model's
organisation approves or rejects a pending alias change someone else requested
(core.hub.actions.registry.decide_alias_request says who may and records it)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.hub.actions.registry import decide_alias_request
from core.hub.models import AliasChangeRequest
from core.hub.queries import visible_models

MAX_COMMENT = 500


@login_required
@require_POST
def decide_request(request, request_id):
    req = get_object_or_404(AliasChangeRequest.objects.filter(model__in=visible_models(request.user))
                            .select_related("model", "version", "requested_by"), pk=request_id)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose approve or reject."))
        return redirect("ui:model", req.model_id)
    comment = (request.POST.get("comment") or "").strip()[:MAX_COMMENT]
    try:
        decide_alias_request(req, approve=decision == "approve", acting_user=request.user, comment=comment)
    except (PermissionError, ValidationError) as exc:
        messages.error(request, " ".join(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))
        return redirect("ui:model", req.model_id)
    messages.success(request, decision_text(req, approve=decision == "approve"))
    return redirect("ui:model", req.model_id)


def decision_text(req, *, approve):
    """What a checker is told after deciding `req` (here and on the finance approval queue)."""
    args = {"alias": req.alias, "model": req.model.name, "v": req.version.version,
            "maker": req.requested_by.get_username()}
    if approve:
        return _("Approved: %(alias)s of %(model)s now points to v%(v)s (requested by %(maker)s).") % args
    return _("Rejected: %(alias)s of %(model)s stays where it was (v%(v)s was requested by %(maker)s).") % args
