"""What `make demo` seeds for finance: one job the worker runs end to end."""
from django.contrib.auth import get_user_model

from core.training.actions.jobs import submit_job
from core.training.models import Job


def seed(*, organisation, acting_user):
    if Job.objects.filter(trainer="finance.demo_pipeline", organisation=organisation).exists():
        return {}
    dev = get_user_model().objects.filter(username="hq-dev").first() or acting_user
    job = submit_job(trainer="finance.demo_pipeline", organisation=organisation, acting_user=dev, params={"seed": 0})
    return {"job": job.pk}
