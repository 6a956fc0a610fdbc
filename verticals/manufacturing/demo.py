"""What `make demo` seeds for manufacturing: one job that the worker runs end to end
(synthetic data -> import -> train -> evaluate -> deploy -> station -> inspections).

128 images for 16 epochs is about 190 iterations, 15-20 minutes on 2 cores (18 with the city
demo's job on the other core): enough for the line page to show real verdicts; with the contrast
guard it rejects fewer good parts than the classic inspection at 5% escape but not at 2% or 10%
(640 iterations on 320 images do better; see README "Manufacturing"). The line page says which
it is."""
from django.contrib.auth import get_user_model

from core.training.actions.jobs import submit_job
from core.training.models import Job


def seed(*, organisation, acting_user):
    if Job.objects.filter(trainer="manufacturing.separator_pipeline", organisation=organisation).exists():
        return {}
    dev = get_user_model().objects.filter(username="hq-dev").first() or acting_user
    job = submit_job(trainer="manufacturing.separator_pipeline", organisation=organisation, acting_user=dev,
                     params={"n_images": 128, "epochs": 16, "seed": 0, "inspect_images": 24})
    return {"job": job.pk}
