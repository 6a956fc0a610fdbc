"""What the pages may show a user. Hub objects go through core.hub.queries; the rest
is filtered here by organisation with core.platform.access, so no page decides
access on its own."""
from core.platform import access
from core.platform.lib import roles
from core.platform.models import AuditEvent
from core.training.models import Job


def can_read_audit(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(access.org_ids_with(user, roles.READ_AUDIT))


def visible_audit_events(user):
    """Events of the organisations where the user may read the audit log. Events with
    no organisation (system-wide ones) are for superusers only."""
    return access.scope(AuditEvent.objects.all(), user, roles.READ_AUDIT)


def visible_jobs(user):
    return access.scope(Job.objects.all(), user)
