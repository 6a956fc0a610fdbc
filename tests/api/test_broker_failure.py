"""A broker that refuses connections, or accepts them and never answers, costs a job
submission a bounded wait and a JSON 503; the job is failed with the reason, audited."""
import socket
import threading
import time

import pytest

from core.platform.models import AuditEvent
from core.training.models import Job

# What computed.py sets for a Redis broker; the test settings use the file-system broker.
REDIS_OPTIONS = {"socket_timeout": 3, "socket_connect_timeout": 3}


@pytest.fixture
def broker_at(monkeypatch):
    from core.celery import app

    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)

    saved = app.conf.broker_url, app.conf.broker_transport_options

    def reset_pools():
        app._pool = None
        app.amqp._producer_pool = None

    def use(url):
        app.conf.broker_url, app.conf.broker_transport_options = url, REDIS_OPTIONS
        reset_pools()

    yield use
    app.conf.broker_url, app.conf.broker_transport_options = saved
    reset_pools()


@pytest.fixture
def silent_broker():
    """A TCP port that accepts connections and never sends a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def _refused_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    return port


def _submit(api, users):
    return api(users["a_dev"]).post("/api/v1/jobs/", {"trainer": "dummy.least_squares", "organisation": "plant-a",
                                                     "params": {"steps": 1}}, format="json")


def _assert_failed_and_audited(r, users):
    body = r.json()
    assert r.status_code == 503 and body["status"] == 503 and "not queued" in body["message"], body
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and job.finished_at is not None
    assert job.message == "could not be queued" and "unavailable" in job.error
    failed = AuditEvent.objects.get(action="job.fail", object_id=str(job.pk))
    assert failed.actor == users["a_dev"] and "unavailable" in failed.data["error"]
    assert AuditEvent.objects.filter(action="job.submit", object_id=str(job.pk)).exists()


@pytest.mark.django_db(transaction=True)
def test_refusing_broker_fails_the_job_in_the_request(api, users, broker_at):
    broker_at(f"redis://127.0.0.1:{_refused_port()}/0")
    r = _submit(api, users)
    _assert_failed_and_audited(r, users)
    assert r["Retry-After"]


@pytest.mark.django_db(transaction=True)
def test_silent_broker_costs_a_bounded_wait(api, users, broker_at, silent_broker):
    broker_at(silent_broker)
    started = time.monotonic()
    r = _submit(api, users)
    assert time.monotonic() - started < 15
    _assert_failed_and_audited(r, users)


@pytest.mark.django_db(transaction=True)
def test_a_camera_run_with_the_broker_down_is_503_and_leaves_the_camera_as_it_was(api, users, orgs, broker_at,
                                                                                  silent_broker):
    from verticals.city.models import Camera, StreamRun
    from verticals.city.actions.detectors import deploy_motion_detector

    deploy_motion_detector(organisation=orgs["a"], acting_user=users["a_dev"])
    cam = api(users["a_dev"]).post("/api/v1/city/cameras/", {
        "organisation": "plant-a", "code": "gate-1", "name": "Gate 1", "source": "rtsp://10.0.0.1/cam",
        "deployment": "motion-detector"}, format="json").json()
    broker_at(silent_broker)
    started = time.monotonic()
    r = api(users["a_operator"]).post(f"/api/v1/city/cameras/{cam['id']}/run/", {"seconds": 5}, format="json")
    assert time.monotonic() - started < 15
    assert r.status_code == 503 and r.json()["status"] == 503 and "'city' is unavailable" in r.json()["message"]
    assert Camera.objects.get(pk=cam["id"]).status == "unknown" and not StreamRun.objects.exists()
