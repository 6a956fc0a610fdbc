"""What datasets a user may see: those owned inside their organisations' subtrees, and those
an organisation above them published (HQ -> branch sharing, read-only); siblings never."""
from core.platform import access

from .models import Dataset


def visible_datasets(user):
    return access.scope(Dataset.objects.all(), user, shared="published").select_related("organisation")
