"""Cameras through the API and pages: validated create/update (audited), organisation
scoping, a run queued on Celery (executed eagerly here) over real footage, and the
structured records and runs it leaves, with their filters."""
import os

import pytest

from core.platform.models import AuditEvent
from tests.conftest import as_json
from verticals.city.models import Camera, StreamRun, TrackRecord
from verticals.city.actions.detectors import deploy_motion_detector

VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
needs_vtest = pytest.mark.skipif(not os.path.exists(VTEST), reason="opencv-doc (vtest.avi) is not installed")


@pytest.fixture
def motion(orgs, users):
    return deploy_motion_detector(organisation=orgs["a"], acting_user=users["a_dev"])


def create(api, user, **fields):
    body = {"organisation": "plant-a", "code": "gate-1", "name": "Gate 1", "source": VTEST, **fields}
    return api(user).post("/api/v1/city/cameras/", body, format="json")


def test_create_list_and_detail(api, users, motion):
    r = create(api, users["a_dev"], deployment="motion-detector", analysis_fps=4, lat=60.17, lon=24.94)
    assert r.status_code == 201, r.content
    cam = r.json()
    assert cam["status"] == "unknown" and cam["deployment"] == "motion-detector" and cam["profile"] == "cpu-motion"
    assert AuditEvent.objects.filter(action="city.camera.create", object_id=str(cam["id"])).exists()
    listed = api(users["a_viewer"]).get("/api/v1/city/cameras/").json()["results"]
    assert [c["code"] for c in listed] == ["gate-1"]
    assert api(users["a_viewer"]).get("/api/v1/city/cameras/?status=online").json()["results"] == []
    detail = api(users["a_viewer"]).get(f"/api/v1/city/cameras/{cam['id']}/").json()
    assert detail["source"] == VTEST and detail["last_run"] is None and detail["analysis_fps"] == 4


@pytest.mark.parametrize("fields, field, words", [
    ({"source": "ftp://cam.example/1"}, "source", "unsupported scheme 'ftp'"),
    ({"source": "videos/cam.mp4"}, "source", "absolute path"),
    ({"analysis_fps": 0}, "analysis_fps", "(0, 30]"),
    ({"analysis_fps": 31}, "analysis_fps", "(0, 30]"),
    ({"frame_width": 641}, "frame_width", "even"),
    ({"lat": 95}, "lat", "[-90, 90]"),
    ({"code": "gate 1!"}, "code", "letters, digits"),
    ({"deployment": "nope"}, "deployment", "no deployment 'nope'"),
    ({"organisation": "nowhere"}, "organisation", "unknown organisation"),
])
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_written(api, users, motion, fields, field, words):
    r = create(api, users["a_dev"], **fields)
    assert r.status_code == 400, r.content
    body = as_json(r)
    assert field in body["errors"] and words in " ".join(body["errors"][field])
    assert not Camera.objects.exists()


def test_deployment_of_another_organisation_is_refused(api, users, orgs, motion):
    deploy_motion_detector(organisation=orgs["b"], acting_user=users["b_dev"], name="b-motion")
    r = create(api, users["a_dev"], deployment="b-motion")
    assert r.status_code == 400 and "no deployment 'b-motion' in Plant A" in r.json()["message"]


def test_roles_and_scoping(api, users, motion):
    assert create(api, users["a_viewer"]).status_code == 403
    cam = create(api, users["a_dev"]).json()
    assert create(api, users["a_dev"]).status_code == 400  # same code twice
    assert api(users["b_dev"]).get(f"/api/v1/city/cameras/{cam['id']}/").status_code == 404
    assert api(users["b_dev"]).get("/api/v1/city/cameras/").json()["results"] == []
    assert api(users["hq_dev"]).get("/api/v1/city/cameras/").json()["results"][0]["code"] == "gate-1"
    r = api(users["a_viewer"]).post(f"/api/v1/city/cameras/{cam['id']}/run/", {"seconds": 5}, format="json")
    assert r.status_code == 403


def test_patch_validates_and_audits(api, users, motion):
    cam = create(api, users["a_dev"]).json()
    url = f"/api/v1/city/cameras/{cam['id']}/"
    r = api(users["a_dev"]).patch(url, {"analysis_fps": 2.5, "source": "rtsp://10.1.2.3/cam"}, format="json")
    assert r.status_code == 200 and r.json()["analysis_fps"] == 2.5 and r.json()["source"] == "rtsp://10.1.2.3/cam"
    assert AuditEvent.objects.filter(action="city.camera.update", object_id=str(cam["id"])).exists()
    bad = api(users["a_dev"]).patch(url, {"analysis_fps": -1}, format="json")
    assert bad.status_code == 400 and "analysis_fps" in bad.json()["errors"]
    unknown = api(users["a_dev"]).patch(url, {"status": "online"}, format="json")
    assert unknown.status_code == 400 and "cannot change status" in unknown.json()["message"]
    assert Camera.objects.get(pk=cam["id"]).status == "unknown"
    assert api(users["a_dev"]).patch(url, {}, format="json").status_code == 400


def test_a_run_needs_a_detector_and_an_enabled_camera(api, users, motion):
    cam = create(api, users["a_dev"]).json()
    r = api(users["a_operator"]).post(f"/api/v1/city/cameras/{cam['id']}/run/", {"seconds": 5}, format="json")
    assert r.status_code == 400 and "no detector deployment" in r.json()["message"]
    r = api(users["a_operator"]).post(f"/api/v1/city/cameras/{cam['id']}/run/", {"seconds": 0}, format="json")
    assert r.status_code == 400 and "seconds" in r.json()["errors"]


@pytest.fixture
def eager_celery():
    from core.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@needs_vtest
def test_run_through_the_api_leaves_records_and_a_run(api, users, motion, eager_celery,
                                                       django_capture_on_commit_callbacks, settings):
    settings.ZHONGTAI_CITY_READ_TIMEOUT_S = 5.0
    cam = create(api, users["a_dev"], deployment="motion-detector", analysis_fps=5).json()
    with django_capture_on_commit_callbacks(execute=True):
        r = api(users["a_operator"]).post(f"/api/v1/city/cameras/{cam['id']}/run/", {"seconds": 4}, format="json")
    assert r.status_code == 202 and r.json()["queued"] is True
    run = StreamRun.objects.get(camera_id=cam["id"])
    assert run.frames_analysed > 10 and run.tracks > 0 and run.model_version_id == motion.model_version_id
    detail = api(users["a_viewer"]).get(f"/api/v1/city/cameras/{cam['id']}/").json()
    assert detail["status"] in ("online", "offline") and detail["frames_analysed"] == run.frames_analysed
    assert detail["last_run"]["id"] == run.pk and detail["last_run"]["model_version"]["version"] == 1

    runs = api(users["a_viewer"]).get(f"/api/v1/city/cameras/{cam['id']}/runs/").json()
    assert runs["count"] == 1 and runs["results"][0]["tracks"] == run.tracks

    base = f"/api/v1/city/cameras/{cam['id']}/records/"
    page = api(users["a_viewer"]).get(base + "?limit=5").json()
    total = TrackRecord.objects.filter(camera_id=cam["id"]).count()
    assert page["count"] == total > 5 and len(page["results"]) == 5 and page["next"]
    first = page["results"][0]
    x1, y1, x2, y2 = first["box"]
    assert 0 <= x1 < x2 <= 640 and 0 <= y1 < y2 <= 480
    track = api(users["a_viewer"]).get(base + f"?track={first['track_id']}&limit=500").json()
    assert track["count"] >= 2 and {r["track_id"] for r in track["results"]} == {first["track_id"]}
    times = [r["observed_at"] for r in track["results"]]
    assert times == sorted(times)
    persons = api(users["a_viewer"]).get(base + "?cls=person&limit=1").json()["count"]
    assert persons == TrackRecord.objects.filter(camera_id=cam["id"], cls="person").count() > 0
    cut = track["results"][1]["observed_at"]
    since = api(users["a_viewer"]).get(base + f"?track={first['track_id']}&since={cut}", ).json()
    assert since["count"] == track["count"] - 1
    assert api(users["a_viewer"]).get(base + "?since=yesterday").status_code == 400
    assert api(users["a_viewer"]).get(base + "?track=x").status_code == 400
    assert api(users["b_dev"]).get(base).status_code == 404


@needs_vtest
def test_pages_show_status_runs_and_records(client, users, motion, orgs):
    from verticals.city.actions.cameras import create_camera, set_camera_status

    cam = create_camera(organisation=orgs["a"], code="gate-1", name="Gate 1", source=VTEST, deployment=motion,
                        acting_user=users["a_dev"])
    hung = create_camera(organisation=orgs["a"], code="gate-2", name="Gate 2", source="rtsp://10.9.9.9/live",
                         deployment=motion, acting_user=users["a_dev"])
    set_camera_status(hung, "offline", "no frame within 10 s")
    client.force_login(users["a_viewer"])
    page = client.get("/v/city/cameras/").content.decode()
    assert 'data-camera="gate-2" data-status="offline"' in page and "no frame within 10 s" in page
    assert f'href="/v/city/cameras/{cam.pk}/"' in page
    detail = client.get(f"/v/city/cameras/{cam.pk}/")
    assert detail.status_code == 200 and "No run yet." in detail.content.decode()
    client.force_login(users["b_dev"])
    assert client.get(f"/v/city/cameras/{cam.pk}/").status_code == 404
