"""A station's display threshold is set like its other settings: through the audited
PATCH, checked, by whoever may configure the station, and it never touches verdicts."""
import pytest

from core.platform.models import AuditEvent
from tests.ui import scene
from verticals.manufacturing.models import Station


@pytest.fixture
def station(orgs, users):
    chain = scene.branch_chain(orgs["a"], users["a_dev"], "st")
    return Station.objects.create(organisation=orgs["a"], code="l1-s1", name="L1 S1", deployment=chain["deployment"],
                                  reject_threshold=0.45)


def test_display_threshold_is_set_audited_and_checked(api, users, station):
    url = f"/api/v1/manufacturing/stations/{station.pk}/"
    r = api(users["a_dev"]).patch(url, {"display_threshold": 0.6}, format="json")
    assert r.status_code == 200 and r.json()["display_threshold"] == 0.6, r.content
    station.refresh_from_db()
    assert station.display_threshold == 0.6 and station.reject_threshold == 0.45
    event = AuditEvent.objects.get(action="manufacturing.station.display_threshold")
    assert event.data == {"from": None, "to": 0.6} and event.actor == users["a_dev"]
    bad = api(users["a_dev"]).patch(url, {"display_threshold": 1.5}, format="json")
    assert bad.status_code == 400 and "display_threshold" in bad.json()["errors"]
    assert api(users["a_viewer"]).patch(url, {"display_threshold": 0.2}, format="json").status_code == 403
    assert api(users["b_dev"]).patch(url, {"display_threshold": 0.2}, format="json").status_code == 404
    back = api(users["a_dev"]).patch(url, {"display_threshold": None}, format="json")
    assert back.status_code == 200 and back.json()["display_threshold"] is None
    station.refresh_from_db()
    assert station.display_threshold is None
    assert AuditEvent.objects.filter(action="manufacturing.station.display_threshold").count() == 2
