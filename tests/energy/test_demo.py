"""The energy demo seeds the heat-load baseline the core demo used to (core seeds only
organisations and users): published to every branch, queued for the worker, once."""


def test_core_demo_seeds_people_and_energy_seeds_the_heat_load_baseline(db):
    from core.data.models import Dataset
    from core.hub.models import RegisteredModel
    from core.platform.demo import seed_core
    from core.training.models import Job
    from verticals.energy.demo import _seed_heat_load

    admin, hq = seed_core()
    assert not Dataset.objects.exists() and not Job.objects.exists()
    seeded = _seed_heat_load(hq, admin)
    job = Job.objects.get(pk=seeded["heat_load_job"])
    assert job.trainer == "core.linear_regression" and job.params["target"] == "load_mw"
    model = RegisteredModel.objects.get(name="heat-load-baseline")
    assert model.published and model.vertical == "energy" and model.organisation == hq
    assert Dataset.objects.get(name="heat-load-demo").vertical == "energy"
    assert _seed_heat_load(hq, admin) == {}  # idempotent
