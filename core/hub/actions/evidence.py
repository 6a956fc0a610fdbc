from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..evidence import build


def export_evidence(model_version, *, acting_user) -> bytes:
    """Auditors, developers and admins of the owning organisation may export; the export
    itself is an audit event."""
    org = model_version.model.organisation
    if not (access.can(acting_user, roles.READ_AUDIT, org) or access.can(acting_user, roles.DEVELOP, org)):
        raise PermissionError("exporting evidence needs the auditor, developer or admin role")
    data = build(model_version, exported_by=acting_user)
    import hashlib

    record("evidence.export", acting_user=acting_user, organisation=org, obj=model_version,
           data={"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    return data
