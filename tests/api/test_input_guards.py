"""Inputs that used to reach the database or the interpreter and come back as 500s:
each is now a 4xx JSON error (issue 17, "Server errors")."""
import json

import pytest

from core.platform.rest.fields import parse_id


def _is_json_error(r, status):
    body = r.json()
    return r.status_code == status and body["status"] == status and body["message"]


@pytest.mark.parametrize("url", ["/api/v1/city/cameras/?org=plant%00a", "/api/v1/models/?vertical=a%00b",
                                 "/api/v1/models/?organisation=%00", "/api/v1/models/?q%00=1"])
def test_nul_in_query_string_is_400(api, users, url):
    r = api(users["a_dev"]).get(url)
    assert _is_json_error(r, 400) and "NUL" in r.json()["message"]


def test_nul_in_json_body_is_400_and_nothing_written(api, users):
    from core.hub.models import RegisteredModel

    r = api(users["a_dev"]).post("/api/v1/models/", {"name": "m\x00", "organisation": "plant-a"}, format="json")
    assert _is_json_error(r, 400) and "NUL" in r.json()["message"]
    r = api(users["a_dev"]).post("/api/v1/jobs/", {"trainer": "dummy.least_squares", "organisation": "plant\x00-a"},
                                 format="json")
    assert _is_json_error(r, 400)
    assert not RegisteredModel.objects.exists()


def test_nul_in_a_json_key_or_form_field_is_400(api, users):
    r = api(users["a_dev"]).post("/api/v1/jobs/", {"trainer": "dummy.least_squares", "organisation": "plant-a",
                                                   "params": {"se\x00ed": 1}}, format="json")
    assert _is_json_error(r, 400)
    r = api(users["a_dev"]).post("/api/v1/artifacts/", {"organisation": "plant\x00-a"}, format="multipart")
    assert _is_json_error(r, 400) and "NUL" in r.json()["message"]


def test_huge_limit_is_clamped_and_huge_offset_is_400(api, users):
    c = api(users["a_dev"])
    r = c.get(f"/api/v1/models/?limit={10**20}")
    assert r.status_code == 200 and r.json()["count"] == 0
    for url in (f"/api/v1/jobs/?offset={10**20}", "/api/v1/jobs/?limit=0", "/api/v1/jobs/?limit=%C2%B2",
                f"/api/v1/city/events/?offset={10**20}"):
        assert _is_json_error(c.get(url), 400), url


def test_superscript_digits_are_not_ids(api, users):
    c = api(users["a_dev"])
    r = c.post("/api/v1/jobs/", {"trainer": "dummy.least_squares", "organisation": "²"}, format="json")
    assert _is_json_error(r, 400) and "organisation" in r.json()["errors"]
    assert c.get("/api/v1/city/events/?camera=%C2%B2").status_code == 200  # no camera has that code


def test_parse_id_takes_ascii_digits_within_bigint_only():
    assert parse_id("42") == 42 and parse_id(7) == 7
    for bad in ("²", "١٢", "-1", " 1", "1.0", "", str(2**63), True, None, 2**63, -1):
        assert parse_id(bad) is None, bad


def test_deeply_nested_json_is_400(api, users):
    for depth in (100, 100_000):
        body = "[" * depth + "]" * depth
        r = api(users["a_dev"]).post("/api/v1/jobs/", body, content_type="application/json")
        assert _is_json_error(r, 400) and "nested" in r.json()["message"], depth


def test_body_over_the_upload_limit_is_413_json(api, users, settings):
    body = json.dumps({"trainer": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)})
    r = api(users["a_dev"]).post("/api/v1/jobs/", body, content_type="application/json")
    assert _is_json_error(r, 413)


def test_a_bad_content_length_is_400(client):
    r = client.generic("POST", "/api/v1/jobs/", b"{}", content_type="application/json", CONTENT_LENGTH="²")
    assert _is_json_error(r, 400)


def test_a_deployment_of_another_task_is_refused_by_score_and_tensor_predict(api, users, orgs):
    """A scorecard call on a motion detector, and a tensor on a model that takes frames,
    are the caller's mistake (400), not the server's."""
    from core.inference.models import PredictionRecord
    from verticals.city.actions.detectors import deploy_motion_detector

    dep = deploy_motion_detector(organisation=orgs["a"], acting_user=users["a_dev"])
    client = api(users["a_dev"])
    r = client.post(f"/api/v1/finance/deployments/{dep.pk}/score/", {"record": {"age": 30}}, format="json")
    assert _is_json_error(r, 400) and "not a scorecard" in r.json()["errors"]["deployment"][0]
    for tensor in ([], [[1.0, 2.0]]):
        r = client.post(f"/api/v1/deployments/{dep.pk}/predict/", {"tensor": tensor}, format="json")
        assert _is_json_error(r, 400) and "no image or tensor input" in r.json()["message"], r.content
    assert not PredictionRecord.objects.exists()


def test_a_record_count_beyond_any_dataset_is_400(api, users, orgs, upload):
    from core.data.models import DatasetVersion

    sha = upload(users["a_dev"], "plant-a", content=b"a,b\n1,2\n").json()["sha256"]
    client = api(users["a_dev"])
    ds = client.post("/api/v1/datasets/", {"name": "t", "organisation": "plant-a", "kind": "tabular"}, format="json")
    assert ds.status_code == 201, ds.content
    r = client.post(f"/api/v1/datasets/{ds.json()['id']}/versions/", {"artifact": sha, "num_records": 10**20},
                    format="json")
    assert _is_json_error(r, 400) and "num_records" in r.json()["errors"]
    assert not DatasetVersion.objects.exists()


@pytest.mark.parametrize("url, field", [
    ("/api/v1/lineage/model_version/1/?depth=²", "depth"),
    ("/api/v1/lineage/model_version/1/?depth=99999999999999999999", "depth"),
    ("/api/v1/city/events/stats/?hours=0", "hours"),
    ("/api/v1/city/events/stats/?hours=٣", "hours"),
])
def test_bounded_query_numbers_are_400_naming_the_parameter(api, users, url, field):
    r = api(users["hq_admin"]).get(url)
    assert _is_json_error(r, 400) and field in r.json()["errors"], r.content


def test_the_line_feed_refuses_an_inspection_number_beyond_any_id(client, users, orgs):
    from tests.ui import scene
    from verticals.manufacturing.models import Station

    chain = scene.branch_chain(orgs["a"], users["a_dev"], "feed")
    station = Station.objects.create(organisation=orgs["a"], code="l1-s1", name="L1 S1",
                                     deployment=chain["deployment"])
    client.force_login(users["a_operator"])
    for after in ("99999999999999999999999", "-1", "²"):
        r = client.get(f"/v/manufacturing/stations/{station.pk}/feed/?after={after}")
        assert r.status_code == 400, (after, r.status_code)
    assert client.get(f"/v/manufacturing/stations/{station.pk}/feed/?after=0").status_code == 204
