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


CHANGEABLE = ("name", "kind", "geometry", "params", "severity", "enabled")


def update_rule(rule, *, acting_user, **changes) -> Rule:
    """Change any of CHANGEABLE; the rule is re-validated as a whole (a new kind with the old
    geometry must still make sense)."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, rule.camera.organisation):
        raise PermissionError("you may not change this camera's rules")
    unknown = sorted(set(changes) - set(CHANGEABLE))
    if unknown:
        raise ValidationError({unknown[0]: f"cannot change {', '.join(unknown)}; changeable: "
                                           f"{', '.join(CHANGEABLE)}"})
    if not changes:
        raise ValidationError({"__all__": f"send at least one of {', '.join(CHANGEABLE)}"})
    with transaction.atomic():
        rule = Rule.objects.select_for_update().select_related("camera__organisation").get(pk=rule.pk)
        name = str(changes.get("name", rule.name) or "").strip()
        if not name or len(name) > 200:
            raise ValidationError({"name": "name must be 1 to 200 characters"})
        if name != rule.name and Rule.objects.filter(camera=rule.camera, name=name).exists():
            raise ValidationError({"name": f"camera {rule.camera.code} already has a rule named {name!r}"})
        kind, geometry = changes.get("kind", rule.kind), changes.get("geometry", rule.geometry)
        params, severity = changes.get("params", rule.params), changes.get("severity", rule.severity)
        normalised = _check(kind, geometry, params, severity)
        enabled = changes.get("enabled", rule.enabled)
        if not isinstance(enabled, bool):
            raise ValidationError({"enabled": "enabled must be true or false"})
        before = {"name": rule.name, "kind": rule.kind, "geometry": rule.geometry, "params": rule.params,
                  "severity": rule.severity, "enabled": rule.enabled}
        rule.name, rule.kind, rule.geometry, rule.params = name, kind, geometry or [], normalised
        rule.severity, rule.enabled = severity, enabled
        rule.save()
        after = {"name": rule.name, "kind": rule.kind, "geometry": rule.geometry, "params": rule.params,
                 "severity": rule.severity, "enabled": rule.enabled}
        record("city.rule.update", acting_user=acting_user, organisation=rule.camera.organisation, obj=rule,
               data={"camera": rule.camera.code,
                     "changed": {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}})
    return rule


def delete_rule(rule, *, acting_user) -> None:
    """Events it raised stay (their rule link becomes empty; kind and title say what fired)."""
    if acting_user is not None and not access.can(acting_user, roles.DEVELOP, rule.camera.organisation):
        raise PermissionError("you may not change this camera's rules")
    with transaction.atomic():
        org, data = rule.camera.organisation, {"camera": rule.camera.code, "name": rule.name, "kind": rule.kind,
                                               "geometry": rule.geometry, "params": rule.params}
        record("city.rule.delete", acting_user=acting_user, organisation=org, obj=rule, data=data)
        rule.delete()
