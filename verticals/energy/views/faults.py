"""Fault incidents on the grid pages: record the what-if trip as an active fault, clear an
active fault as restored. HTMX answers the grid's "Active faults" panel (refusals included,
with their status: 400 bad input, 403 not an operator, 409 already active or already
cleared); a plain POST goes back to the grid page."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..actions.faults import FaultConflict, can_operate, clear_fault, open_fault
from ..queries import visible_faults
from . import present
from .pages import grid_context, grid_or_404, is_htmx, panels


def _messages(exc):
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(getattr(exc, "messages", [str(exc)]))


def _split_alarms(text):
    return [a.strip() for line in (text or "").splitlines() for a in line.split(",") if a.strip()]


def _answer(request, grid, *, error=None, status=200):
    if is_htmx(request):
        response = render(request, "energy/partials/active_faults.html",
                          {"grid": grid, "can_operate": can_operate(request.user, grid), "fault_error": error,
                           **present.grid_faults(grid)}, status=status)
        patch_vary_headers(response, ["HX-Request"])
        return response
    if error is None:
        return redirect("energy:grid", grid_id=grid.pk)
    context = grid_context(grid, request.user)
    context.update(panels(request.user, grid.graph), fault_error=error)
    return render(request, "energy/grid.html", context, status=status)


def _run(request, grid, write):
    try:
        write()
    except ValidationError as exc:
        return _answer(request, grid, error=" ".join(_messages(exc)), status=400)
    except PermissionError:
        return _answer(request, grid, error=_("Recording and clearing faults needs the operator role."), status=403)
    except FaultConflict as exc:
        return _answer(request, grid, error=str(exc), status=409)
    return _answer(request, grid)


@login_required
@require_POST
def record_fault(request, grid_id):
    grid = grid_or_404(request.user, grid_id)
    return _run(request, grid, lambda: open_fault(grid, request.POST.get("element", ""),
                                                  alarms=_split_alarms(request.POST.get("alarms")),
                                                  acting_user=request.user))


@login_required
@require_POST
def restore_fault(request, fault_id):
    incident = get_object_or_404(visible_faults(request.user), pk=fault_id)
    return _run(request, incident.grid, lambda: clear_fault(incident, acting_user=request.user,
                                                             note=request.POST.get("note", "")))
