"""What `make demo` seeds for finance: HQ's job (German credit scorecard deployed and
monitored, a champion request for hq-approver, the anti-fraud model) and North Plant's
own (north-dev's scorecard on CreditScoring, deployed at the branch, its champion request
waiting for north-approver). light: the jobs skip the anti-fraud model and score fewer
records, for tests."""
from core.platform.demo import demo_member, demo_user
from core.training.actions.jobs import submit_job
from core.training.models import Job


def seed(*, organisation, acting_user, light=False):
    if Job.objects.filter(trainer="finance.demo_pipeline", organisation=organisation).exists():
        return {}
    dev = demo_user("hq-dev", acting_user)
    small = {"fraud": False, "sample": 100} if light else {}
    job = submit_job(trainer="finance.demo_pipeline", organisation=organisation, acting_user=dev,
                     params={"seed": 0, **small})
    seeded = {"job": job.pk}
    north = demo_member("north-dev")
    if north is not None:
        user, branch = north
        seeded["branch_job"] = submit_job(
            trainer="finance.demo_pipeline", organisation=branch, acting_user=user,
            params={"seed": 0, "data": "credit_data", "fraud": False, "sample": 100 if light else 200,
                    "model_name": "north-retail-scorecard", "deployment_name": "north-retail-scoring"}).pk
    return seeded
