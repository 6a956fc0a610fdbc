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


def exportable_versions(user, graph, *, also=()):
    """Of a lineage graph's model versions (and the ids in `also`), those whose evidence pack
    `user` may export (the rule of core.hub.actions.evidence: auditor, developer or admin in
    the model's organisation), so a page offers the button only where it works."""
    from core.hub.models import ModelVersion

    orgs = access.org_ids_with(user, roles.READ_AUDIT) | access.org_ids_with(user, roles.DEVELOP)
    version_ids = [n["pk"] for n in graph["nodes"] if n["kind"] == "model_version"] + list(also)
    return set(ModelVersion.objects.filter(pk__in=version_ids, model__organisation_id__in=orgs)
               .values_list("pk", flat=True))
