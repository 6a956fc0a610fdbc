"""What `make demo` seeds for the core: an HQ -> two branches tree, a user per role,
a small tabular dataset and a training job. Idempotent: a second run changes nothing."""
import io

import numpy as np
from django.contrib.auth import get_user_model
from django.db import transaction

from core.platform.actions.organisations import create_organisation, create_user, grant_role
from core.platform.models import Organisation

DEMO_PASSWORD = "zhongtai-demo"

# (username, organisation code, role)
DEMO_USERS = [
    ("hq-admin", "hq", "admin"),
    ("hq-dev", "hq", "developer"),
    ("hq-approver", "hq", "approver"),
    ("auditor", "hq", "auditor"),
    ("north-dev", "north", "developer"),
    ("north-operator", "north", "operator"),
    ("north-approver", "north", "approver"),
    ("south-viewer", "south", "viewer"),
    ("south-dev", "south", "developer"),
    ("south-approver", "south", "approver"),
]


def synthetic_heat_load_csv(n=720, seed=42):
    """Hourly heat load of a district station against outdoor temperature and wind.
    Synthetic (a seeded generator), labelled so wherever it is shown."""
    rng = np.random.default_rng(seed)
    hours = np.arange(n)
    temp = 2 + 8 * np.sin(2 * np.pi * (hours % 24 - 9) / 24) + rng.normal(0, 1.5, n) - hours / n * 6
    wind = np.abs(rng.normal(4, 2, n))
    hour_of_day = hours % 24
    load = 180 - 4.2 * temp + 2.1 * wind + 12 * np.isin(hour_of_day, [6, 7, 8, 18, 19]) + rng.normal(0, 3, n)
    lines = ["hour_of_day,temp_c,wind_ms,load_mw"]
    lines += [f"{h},{t:.2f},{w:.2f},{x:.2f}" for h, t, w, x in zip(hour_of_day, temp, wind, load)]
    return ("\n".join(lines) + "\n").encode()


def seed_core(stdout=None):
    User = get_user_model()
    say = (lambda msg: stdout.write(msg)) if stdout else (lambda msg: None)
    with transaction.atomic():
        admin = User.objects.filter(username="admin").first()
        if admin is None:
            admin = User.objects.create_superuser("admin", "admin@example.invalid", DEMO_PASSWORD)
            say("created superuser admin")
        hq = Organisation.objects.filter(code="hq").first() or create_organisation(
            name="Zhongtai Group HQ", code="hq", kind="hq", acting_user=admin)
        for code, name in (("north", "North Plant"), ("south", "South Plant")):
            if not Organisation.objects.filter(code=code).exists():
                create_organisation(name=name, code=code, kind="branch", parent=hq, acting_user=admin)
        for username, code, role in DEMO_USERS:
            org = Organisation.objects.get(code=code)
            user = User.objects.filter(username=username).first()
            if user is None:
                create_user(username=username, password=DEMO_PASSWORD, acting_user=admin, organisation=org, role=role)
            else:
                grant_role(user=user, organisation=org, role=role, acting_user=admin)
    _seed_heat_load(admin, hq, say)
    return admin, hq


def _seed_heat_load(admin, hq, say):
    from core.data.actions.datasets import add_version, create_dataset
    from core.data.models import Dataset
    from core.hub.actions.artifacts import store_artifact
    from core.hub.actions.registry import ensure_model
    from core.training.actions.jobs import submit_job

    if Dataset.objects.filter(organisation=hq, name="heat-load-demo").exists():
        return
    dev = get_user_model().objects.get(username="hq-dev")
    with transaction.atomic():
        art, _ = store_artifact(io.BytesIO(synthetic_heat_load_csv()), filename="heat_load_demo.csv",
                                content_type="text/csv", organisation=hq, acting_user=dev)
        ds = create_dataset(name="heat-load-demo", organisation=hq, kind="tabular", acting_user=dev,
                            description="Synthetic hourly heat load vs weather (seeded generator), for the demo.")
        dv = add_version(ds, artifact=art, acting_user=dev, num_records=720, source="synthetic: seed 42")
        model = ensure_model(
            name="heat-load-baseline", organisation=hq, title="Heat-load linear baseline", published=True,
            acting_user=dev, description="Least-squares baseline shared with every branch.")
        submit_job(trainer="core.linear_regression", organisation=hq, acting_user=dev,
                   params={"dataset_version": dv.pk, "target": "load_mw", "model_id": model.pk, "seed": 42})
    say("seeded the heat-load demo dataset and queued its training job")
