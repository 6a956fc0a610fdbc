"""A line's stations: which deployment inspects there, its reject threshold and contrast guard."""
from django.core.exceptions import ValidationError
from django.db import transaction

from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..lib.verdict import MAX_GUARD_LEVEL
from ..models import Station


def _check_guard(level):
    if level is not None and not 0.0 < float(level) <= MAX_GUARD_LEVEL:
        raise ValidationError({"guard_level": f"the guard level must be above 0 and at most {MAX_GUARD_LEVEL:g} "
                                              "(noise units), or empty to turn the guard off"})


def create_station(*, code, name, organisation, deployment, acting_user, line="", reject_threshold=0.5,
                   guard_level=None):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, organisation):
        raise PermissionError(f"you may not configure stations in {organisation}")
    if not 0.0 < float(reject_threshold) < 1.0:
        raise ValidationError({"reject_threshold": "the reject threshold must be between 0 and 1"})
    _check_guard(guard_level)
    if deployment.organisation_id != organisation.pk and not organisation.path.startswith(
            deployment.organisation.path):
        raise ValidationError({"deployment": "the deployment belongs to another organisation's line"})
    if Station.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError({"code": f"{organisation} already has a station {code!r}"})
    with transaction.atomic():
        station = Station.objects.create(code=code, name=name, line=line, organisation=organisation,
                                         deployment=deployment, reject_threshold=reject_threshold,
                                         guard_level=guard_level, created_by=acting_user)
        record("manufacturing.station.create", acting_user=acting_user, organisation=organisation, obj=station,
               data={"code": code, "deployment": deployment.pk, "reject_threshold": reject_threshold,
                     "guard_level": guard_level})
    return station


def ensure_station(*, code, organisation, acting_user, **settings):
    """The organisation's station `code`, created with `settings` when it has none (the demo runs again)."""
    return Station.objects.filter(organisation=organisation, code=code).first() or create_station(
        code=code, organisation=organisation, acting_user=acting_user, **settings)


def set_threshold(station, threshold, *, acting_user):
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, station.organisation):
        raise PermissionError(f"you may not configure stations in {station.organisation}")
    if not 0.0 < float(threshold) < 1.0:
        raise ValidationError({"reject_threshold": "the reject threshold must be between 0 and 1"})
    with transaction.atomic():
        old = station.reject_threshold
        station.reject_threshold = float(threshold)
        station.save(update_fields=["reject_threshold"])
        record("manufacturing.station.threshold", acting_user=acting_user, organisation=station.organisation,
               obj=station, data={"from": old, "to": float(threshold)})
    return station


def set_display_threshold(station, threshold, *, acting_user):
    """How confident a box must be to be drawn for operators (None: the default, max(0.3, the
    part's reject threshold)). It changes what is shown, never a verdict."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, station.organisation):
        raise PermissionError(f"you may not configure stations in {station.organisation}")
    if threshold is not None and not 0.0 < float(threshold) < 1.0:
        raise ValidationError({"display_threshold": "the display threshold must be between 0 and 1, or null"})
    with transaction.atomic():
        old = station.display_threshold
        station.display_threshold = None if threshold is None else float(threshold)
        station.save(update_fields=["display_threshold"])
        record("manufacturing.station.display_threshold", acting_user=acting_user,
               organisation=station.organisation, obj=station, data={"from": old, "to": station.display_threshold})
    return station


def set_guard(station, level, *, acting_user):
    """Set (or, with None, turn off) the station's contrast guard."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, station.organisation):
        raise PermissionError(f"you may not configure stations in {station.organisation}")
    _check_guard(level)
    with transaction.atomic():
        old = station.guard_level
        station.guard_level = None if level is None else float(level)
        station.save(update_fields=["guard_level"])
        record("manufacturing.station.guard", acting_user=acting_user, organisation=station.organisation,
               obj=station, data={"from": old, "to": station.guard_level})
    return station
