"""A deployment's status as every page shows it, computed here only. "Active" alone
misled: a deployment could serve a version nobody approved, in a vertical whose
protected aliases (aliases_requiring_approval) say someone must, while the governance
inventory counted nothing in production. So an active deployment is "Live" only when
its version holds an approved protected alias, or its vertical protects none."""
from django.utils.translation import gettext_lazy as _

from core.hub.models import ModelAlias
from core.platform.verticals import aliases_requiring_approval

LIVE, AWAITING_APPROVAL, STOPPED = "live", "awaiting_approval", "stopped"
LABELS = {LIVE: _("Live"), AWAITING_APPROVAL: _("Active — awaiting approval"), STOPPED: _("Stopped")}
BADGES = {LIVE: "active", AWAITING_APPROVAL: "warn", STOPPED: "stopped"}


def serving_status(deployment):
    """{'code', 'label', 'badge', 'title'} for one deployment."""
    if deployment.status != deployment.Status.ACTIVE:
        code = STOPPED
    else:
        version = deployment.model_version
        protected = aliases_requiring_approval(version.model.vertical)
        approved = not protected or ModelAlias.objects.filter(
            version=version, name__in=protected, approved_by__isnull=False).exists()
        code = LIVE if approved else AWAITING_APPROVAL
    title = (_("Serving a version without an approved %(aliases)s alias") % {
        "aliases": ", ".join(sorted(aliases_requiring_approval(deployment.model_version.model.vertical)))}
        if code == AWAITING_APPROVAL else "")
    return {"code": code, "label": LABELS[code], "badge": BADGES[code], "title": title}
