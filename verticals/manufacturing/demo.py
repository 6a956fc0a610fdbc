"""What `make demo` seeds for manufacturing: one job that the worker runs end to end
(synthetic data -> import -> train -> evaluate -> deploy -> station -> inspections)."""
from django.contrib.auth import get_user_model

from core.training.actions.jobs import submit_job
from core.training.models import Job


def seed(*, organisation, acting_user):
    if Job.objects.filter(trainer="manufacturing.separator_pipeline", organisation=organisation).exists():
        return {}
    dev = get_user_model().objects.filter(username="hq-dev").first() or acting_user
    job = submit_job(trainer="manufacturing.separator_pipeline", organisation=organisation, acting_user=dev,
                     params={"n_images": 64, "epochs": 40, "seed": 0, "inspect_images": 24},
                     queue="manufacturing")
    return {"job": job.pk}
