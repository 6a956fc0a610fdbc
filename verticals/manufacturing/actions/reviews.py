"""An operator's review of an inspection: the part's true state, which feeds over-kill and escape rates."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.platform import access
from core.platform.actions.audit import record
from core.platform.lib import roles

from ..models import Inspection


def review(inspection, *, truth, acting_user, note=""):
    """An operator's finding after re-checking the part: feeds over-kill and escape rates."""
    if acting_user is not None and not access.can(acting_user, roles.PREDICT, inspection.station.organisation):
        raise PermissionError("reviewing inspections needs the operator role")
    if truth not in Inspection.Truth.values:
        raise ValidationError({"truth": f"truth must be one of {', '.join(Inspection.Truth.values)}"})
    with transaction.atomic():
        inspection.truth = truth
        inspection.reviewed_by = acting_user
        inspection.reviewed_at = timezone.now()
        inspection.review_note = note[:300]
        inspection.save(update_fields=["truth", "reviewed_by", "reviewed_at", "review_note"])
        record("manufacturing.inspection.review", acting_user=acting_user,
               organisation=inspection.station.organisation, obj=inspection,
               data={"verdict": inspection.verdict, "truth": truth, "note": note[:300]})
    return inspection
