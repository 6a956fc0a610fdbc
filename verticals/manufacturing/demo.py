"""What `make demo` seeds for manufacturing: one job that the worker runs end to end
(synthetic data -> import -> train -> evaluate -> deploy -> HQ's station -> inspections), and
rolls the published model out to a North Plant line station, where north-operator inspects
parts and north-dev tunes the station; hq-annotator checks the generated boxes in a labelling
project that hq-approver reviews.

128 images for 16 epochs is about 190 iterations, 15-20 minutes on 2 cores (18 with the city
demo's job on the other core): enough for the line page to show real verdicts; with the contrast
guard it rejects fewer good parts than the classic inspection at 5% escape but not at 2% or 10%
(640 iterations on 320 images do better; see README "Manufacturing"). The line page says which
it is. light: 16 images for one epoch, a model that runs but knows little, for tests."""
from core.platform.demo import demo_member, demo_user
from core.training.actions.jobs import submit_job
from core.training.models import Job

NORTH_STATION = {"organisation": "north", "station_code": "n1-s1", "name": "North Line 1 / coating inspection",
                 "line": "North Line 1"}


def seed(*, organisation, acting_user, light=False):
    if Job.objects.filter(trainer="manufacturing.separator_pipeline", organisation=organisation).exists():
        return {}
    dev = demo_user("hq-dev", acting_user)
    north = demo_member("north-operator")
    annotator = demo_member("hq-annotator")
    size = {"n_images": 16, "epochs": 1, "inspect_images": 2} if light else \
        {"n_images": 128, "epochs": 16, "inspect_images": 24}
    job = submit_job(trainer="manufacturing.separator_pipeline", organisation=organisation, acting_user=dev,
                     params={**size, "seed": 0, "roll_out": [NORTH_STATION] if north else [],
                             **({"label_project": {"name": "separator-label-check", "annotators": ["hq-annotator"]}}
                                if annotator else {})})
    return {"job": job.pk}
