import pytest

from core.hub.models import AliasChangeRequest, RegisteredModel
from core.inference.models import PredictionRecord
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from core.training.models import Job
from verticals.finance.models import ModelRiskRecord
from verticals.finance.queries import psi_trend

pytestmark = pytest.mark.slow


def test_finance_demo_pipeline(users, orgs):
    job = submit_job(trainer="finance.demo_pipeline", organisation=orgs["hq"], acting_user=users["hq_dev"],
                     params={"seed": 0})
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail[-3000:]
    job.refresh_from_db()
    card = RegisteredModel.objects.get(name="retail-scorecard")
    assert card.versions.get().metrics["cv_mean_auc"] > 0.74
    assert ModelRiskRecord.objects.get(model=card).risk_tier == "high"
    assert AliasChangeRequest.objects.get(model=card).status == "pending"
    assert PredictionRecord.objects.filter(deployment_id=job.result["deployment"]).count() == 6
    trend = psi_trend(card.versions.get().deployments.get())
    assert trend and trend[-1]["n"] == 300 and trend[-1]["psi"] < 0.25
    fraud = RegisteredModel.objects.get(name="card-fraud").versions.get().metrics
    assert fraud["recall_at_5pct"] > 0.05 * 3
