"""The city dashboard: streams with their status and rate, events counted by type and by
hour, open events and response time, pool utilisation with simulated pools marked, and
nothing from a sibling branch."""
import io
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.hub.actions.artifacts import store_artifact
from core.hub.actions.registry import create_model, create_version
from core.inference import host
from verticals.city import queries
from verticals.city.models import Algorithm, Camera, ComputePool, DispatchRecord, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(orgs, users):
    now = timezone.now()
    a, b = orgs["a"], orgs["b"]
    cams = {
        "gate": Camera.objects.create(organisation=a, code="gate", name="North gate", source="/videos/gate.avi",
                                      status=Camera.Status.ONLINE, measured_fps=5.0, analysis_fps=5.0,
                                      last_frame_at=now),
        "bridge": Camera.objects.create(organisation=a, code="bridge", name="Bridge", source="rtsp://10.0.0.9/s",
                                        status=Camera.Status.OFFLINE, status_message="no frame within 10 s"),
        "slow": Camera.objects.create(organisation=a, code="slow", name="Market street", source="/videos/m.avi",
                                      status=Camera.Status.DEGRADED, measured_fps=2.0, analysis_fps=5.0),
        "other": Camera.objects.create(organisation=b, code="b-cam", name="Branch B camera", source="/v/b.avi",
                                       status=Camera.Status.ONLINE, measured_fps=7.0),
    }
    at = now - timedelta(hours=2)
    for i, kind in enumerate(["muck_restricted", "muck_restricted", "line_crossing"]):
        Event.objects.create(organisation=a, camera=cams["gate"], kind=kind, title=f"event {i}", occurred_at=at,
                             status=Event.Status.DISPATCHED if i == 0 else Event.Status.NEW,
                             response_seconds=90.0 if i == 0 else None)
    Event.objects.create(organisation=a, camera=cams["gate"], kind="loitering", title="old", occurred_at=now -
                         timedelta(days=3), status=Event.Status.CLOSED)
    Event.objects.create(organisation=b, camera=cams["other"], kind="zone_entry", title="b's", occurred_at=at)

    model = create_model(name="det", organisation=a, acting_user=users["a_dev"])
    art, _ = store_artifact(io.BytesIO(b"weights"), filename="w", organisation=a, acting_user=users["a_dev"])
    version = create_version(model, artifact=art, acting_user=users["a_dev"])
    algo = Algorithm.objects.create(organisation=a, name="det", model_version=version, profile="cpu-onnxruntime")
    cpu = ComputePool.objects.create(organisation=a, name="cpu-pool", accelerator="cpu", capacity=2)
    gpu = ComputePool.objects.create(organisation=a, name="gpu-pool", accelerator="gpu", capacity=1)
    for pool, run_ms, outcome in [(cpu, 36_000, "ok"), (cpu, 36_000, "ok"), (gpu, 18_000, "ok"),
                                  (gpu, 0, "refused")]:
        DispatchRecord.objects.create(algorithm=algo, pool=pool, outcome=outcome, run_ms=run_ms, wait_ms=4.0)
    return cams


def test_event_stats_count_by_kind_and_hour_within_the_window(scene, users):
    stats = queries.event_stats(users["a_dev"])
    assert stats["total"] == 3 and stats["open"] == 3  # the 3-day-old event is outside and closed
    assert [(k["kind"], k["count"]) for k in stats["by_kind"]] == [("muck_restricted", 2), ("line_crossing", 1)]
    series = {s["kind"]: s["data"] for s in stats["chart"]["series"]}
    assert len(stats["chart"]["hours"]) == 24 and sum(series["muck_restricted"]) == 2
    # two hours ago lands in the slot two before the current hour
    assert series["muck_restricted"][21] == 2 and series["line_crossing"][21] == 1
    assert stats["response_median_s"] == 90.0


def test_pool_utilisation_counts_busy_time_over_capacity(scene, users):
    rows = {r["pool"].name: r for r in queries.pool_utilisation(users["a_dev"], minutes=60)["pools"]}
    # 72 s of runs over 2 slots x 3600 s = 1 %; 18 s over 1 slot x 3600 s = 0.5 %
    assert rows["cpu-pool"]["busy_pct"] == 1.0 and rows["cpu-pool"]["ok"] == 2
    assert rows["gpu-pool"]["busy_pct"] == 0.5 and rows["gpu-pool"]["refused"] == 1
    assert rows["cpu-pool"]["simulated"] is False
    assert rows["gpu-pool"]["simulated"] is (not host.devices()["gpu"])


def test_dashboard_page_shows_streams_events_and_pools(scene, users, client):
    client.force_login(users["a_viewer"])
    page = client.get(reverse("city:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="kpi-online">2 / 3<' in html  # online + degraded of the branch's three cameras
    assert 'data-camera="bridge" data-status="offline"' in html and "no frame within 10 s" in html
    assert "Branch B camera" not in html and "b-cam" not in html
    kinds = json.loads(re.search(r'<script id="events-kinds" type="application/json">(.*?)</script>', html,
                                 re.S).group(1))
    assert {k["kind"]: k["count"] for k in kinds} == {"muck_restricted": 2, "line_crossing": 1}
    assert 'data-pool="gpu-pool"' in html
    assert ("simulated" in html.split('data-pool="gpu-pool"')[1].split("</tr>")[0]) is (not host.devices()["gpu"])
    # a degraded stream below its asked rate is flagged as behind
    row = html.split('data-camera="slow"')[1].split("</tr>")[0]
    assert "behind" in row


def test_streams_panel_refreshes_alone_and_needs_a_login(scene, users, client):
    assert client.get(reverse("city:streams-panel")).status_code == 302
    client.force_login(users["b_dev"])
    html = client.get(reverse("city:streams-panel")).content.decode()
    assert html.strip().startswith('<section class="panel flush" id="panel-streams"')
    assert "Branch B camera" in html and "North gate" not in html


def test_dashboard_draws_the_map_in_page_not_in_a_frame(scene, users, client):
    # The platform sends X-Frame-Options: DENY, so a framed map would stay blank: the
    # dashboard carries the map panel and the map page's own script instead.
    client.force_login(users["a_viewer"])
    page = client.get(reverse("city:dashboard"))
    html = page.content.decode()
    assert page["X-Frame-Options"] == "DENY"
    assert "<iframe" not in html
    panel = html.split('id="panel-map"')[1].split("</section>")[0]
    assert 'id="city-map"' in panel and "city-map-shell inset" in panel
    config = json.loads(re.search(r'<script id="city-map-config" type="application/json">(.*?)</script>', html,
                                  re.S).group(1))
    assert config["urls"]["cameras"] == reverse("api:city-map-cameras-list")
    assert "city/map.js" in html and "leaflet/leaflet.js" in html
