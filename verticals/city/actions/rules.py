"""Rules on a camera: validated by lib.rules (the field named on error), audited."""
from django.core.exceptions import ValidationError
from django.db import transaction

from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..lib.rules import RuleError, check_rule
from ..models import Rule


def _check(kind, geometry, params, severity):
    try:
        normalised = check_rule(kind, geometry, params)
    except RuleError as exc:
        raise ValidationError({exc.field: str(exc)}) from None
    if not isinstance(severity, int) or isinstance(severity, bool) or not 1 <= severity <= 4:
        raise ValidationError({"severity": "severity must be 1 (low) to 4 (critical)"})
    return normalised


def create_rule(*, camera, name, kind, geometry, params, acting_user, severity=2, enabled=True) -> Rule:
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, camera.organisation):
        raise PermissionError("you may not change this camera's rules")
    name = str(name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": "name must be 1 to 200 characters"})
    normalised = _check(kind, geometry, params, severity)
    with transaction.atomic():
        if Rule.objects.filter(camera=camera, name=name).exists():
            raise ValidationError({"name": f"camera {camera.code} already has a rule named {name!r}"})
        rule = Rule.objects.create(camera=camera, name=name, kind=kind, geometry=geometry or [], params=normalised,
                                   severity=severity, enabled=enabled, created_by=acting_user)
        record("city.rule.create", acting_user=acting_user, organisation=camera.organisation, obj=rule,
               data={"camera": camera.code, "kind": kind, "params": normalised})
    return rule
