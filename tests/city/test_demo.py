"""make demo's city seed: the Helsinki map, cameras on real footage and a dead one, their
rules, one run each (the dead camera offline, the others with tracks and events), events
along the workflow, pools with scheduler calls, and the queued detector job; idempotent."""
import pytest

from core.training.models import Job
from verticals.city.demo import seed
from verticals.city.models import Camera, DispatchRecord, Event, MapLayer, Rule, TrackRecord

pytestmark = pytest.mark.django_db(transaction=True)


def test_city_demo_seeds_everything_once(orgs, users):
    out = seed(organisation=orgs["hq"], acting_user=users["hq_admin"])
    assert set(out["map_layers"]) == {"roads", "buildings", "pois"} and MapLayer.objects.count() == 3
    cams = {c.code: c for c in Camera.objects.filter(organisation=orgs["hq"])}
    assert {"hall", "junction", "harbour"} <= set(cams)
    assert cams["harbour"].status == "offline" and cams["harbour"].status_message
    assert cams["hall"].status in ("online", "offline") and cams["hall"].frames_analysed > 100
    assert TrackRecord.objects.filter(camera=cams["hall"]).values("track_id").distinct().count() >= 5
    assert Rule.objects.filter(camera=cams["junction"], kind__startswith="muck_").count() == 3
    events = Event.objects.filter(organisation=orgs["hq"])
    assert events.filter(camera=cams["hall"]).exists()
    assert events.filter(status="dispatched").exists() or events.filter(status="handled").exists()
    assert events.exclude(response_seconds=None).exists()
    assert DispatchRecord.objects.filter(outcome="ok").count() == out["scheduler_calls"] > 0
    job = Job.objects.get(pk=out["junction_job"])
    assert job.trainer == "city.junction_demo" and job.params["camera"] == "junction"
    assert seed(organisation=orgs["hq"], acting_user=users["hq_admin"]) == {}
