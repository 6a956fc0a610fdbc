"""Energy writes: fault incidents a dispatcher records on a grid and clears once restored.

open_fault computes the outage analysis and restoration plan with the code the grid
page's trip form uses (queries.outage_plan, power-flow check included) and stores them as
they were at that moment. Operators (and developers, administrators) may open and clear;
viewers and auditors only read."""
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.kg.projection import projection
from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..lib import restoration
from ..models import FaultIncident
from ..queries import outage_plan

MAX_ALARMS = 50
MAX_ALARM_CHARS = 300
MAX_NOTE_CHARS = 1000


class FaultConflict(Exception):
    """The change contradicts the incident's state (already active, already restored): 409."""


def can_operate(user, grid):
    return user is not None and access.can(user, roles.PREDICT, grid.graph.organisation)


def _check_operator(acting_user, grid):
    if acting_user is not None and not can_operate(acting_user, grid):
        raise PermissionError(f"recording and clearing faults on {grid.graph.name} needs the operator role "
                              f"in {grid.graph.organisation}")


def _user(acting_user):
    return acting_user if acting_user is not None and acting_user.is_authenticated else None


def _clean_alarms(alarms):
    alarms = [str(a).strip() for a in (alarms or ()) if str(a).strip()]
    if len(alarms) > MAX_ALARMS:
        raise ValidationError({"alarms": f"at most {MAX_ALARMS} alarms"})
    too_long = [a for a in alarms if len(a) > MAX_ALARM_CHARS]
    if too_long:
        raise ValidationError({"alarms": f"an alarm is over {MAX_ALARM_CHARS} characters: {too_long[0][:40]!r}..."})
    return alarms


def open_fault(grid, element, *, alarms=(), title="", acting_user, verify=True):
    """Records `element` (a line or transformer in service) as tripped on `grid`, with the
    lost buses, the restoration plan and (verify) its power-flow check: the plan kept is the
    one that passed (the one-tie plan or the alternative the planner found), and
    powerflow_ok is false when none did. Refuses an unknown
    element (ValidationError naming it) and a second active incident on the same element
    (FaultConflict)."""
    _check_operator(acting_user, grid)
    element = (element or "").strip()
    alarms = _clean_alarms(alarms)
    title = (title or "").strip()
    if len(title) > 200:
        raise ValidationError({"title": "the title is over 200 characters"})
    elements = restoration.trippable(restoration.topology(projection(grid.graph)))
    if element not in elements:
        raise ValidationError({"element": f"{element!r} is not a line or transformer in service on {grid.graph.name}"})
    if FaultIncident.objects.filter(grid=grid, element=element, status=FaultIncident.Status.ACTIVE).exists():
        raise FaultConflict(f"{element} already has an active fault on {grid.graph.name}; clear it first")
    plan = outage_plan(grid, [element], verify=verify)
    outage = plan["outage"]
    pf = plan.get("powerflow")
    try:
        with transaction.atomic():
            incident = FaultIncident.objects.create(
                grid=grid, element=element, title=title or f"{elements[element]} tripped", alarms=alarms,
                lost_buses=list(outage["lost_buses"]), lost_load_mw=outage.get("lost_load_mw"),
                powerflow_ok=pf.get("ok") if pf else None, plan=plan, opened_by=_user(acting_user),
                opened_at=timezone.now())
            record("energy.fault.open", acting_user=acting_user, organisation=grid.graph.organisation, obj=incident,
                   data={"grid": grid.pk, "element": element, "alarms": alarms,
                         "lost_buses": len(incident.lost_buses), "powerflow_ok": incident.powerflow_ok})
    except IntegrityError:  # another dispatcher recorded the same element a moment ago
        raise FaultConflict(f"{element} already has an active fault on {grid.graph.name}; clear it first") from None
    return incident


def clear_fault(incident, *, acting_user, note=""):
    """Marks an active incident restored, with who cleared it, when, and the restoration time."""
    _check_operator(acting_user, incident.grid)
    note = (note or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError({"note": f"the note is over {MAX_NOTE_CHARS} characters"})
    with transaction.atomic():
        locked = FaultIncident.objects.select_for_update().get(pk=incident.pk)
        if locked.status != FaultIncident.Status.ACTIVE:
            raise FaultConflict(f"the fault on {locked.element} was already cleared at "
                                f"{locked.cleared_at:%Y-%m-%d %H:%M}")
        now = timezone.now()
        locked.status = FaultIncident.Status.RESTORED
        locked.cleared_by = _user(acting_user)
        locked.cleared_at = now
        locked.restoration_time = now - locked.opened_at
        locked.clear_note = note
        locked.save(update_fields=["status", "cleared_by", "cleared_at", "restoration_time", "clear_note"])
        record("energy.fault.clear", acting_user=acting_user, organisation=incident.grid.graph.organisation,
               obj=locked, data={"grid": locked.grid_id, "element": locked.element, "note": note,
                                 "restoration_s": round(locked.restoration_time.total_seconds(), 3)})
    for f in ("status", "cleared_by", "cleared_at", "restoration_time", "clear_note"):
        setattr(incident, f, getattr(locked, f))
    return incident
