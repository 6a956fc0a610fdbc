"""Evaluation records: the payload is checked against its kind, written once with its audit
event and lineage edge, its thumbnails kept as one artifact; the page, the comparison, the
thumbnails and the API show it only to those who may see the version."""
import copy
import io
import json
import zipfile

import pytest
from django.urls import reverse
from PIL import Image

from core.hub.actions.evaluations import EvaluationTooLarge, InvalidEvaluation, record_evaluation
from core.hub.actions.registry import create_version, set_published
from core.hub.lib import evaluation_schema as schema
from core.hub.models import Evaluation, LineageEdge
from core.platform.models import AuditEvent
from core.training.lib.evaluation import (binary_report, classification_report, detection_report, forecast_report,
                                          regression_report)
from tests.ui.scene import branch_chain

pytestmark = pytest.mark.django_db


def _jpeg(colour=(200, 40, 40)):
    buf = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buf, format="JPEG")
    return buf.getvalue()


def _zip(tmp_path, names, name="thumbs.zip"):
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for n in names:
            zf.writestr(n, _jpeg())
    return path


def detection_payload():
    gt = {"images": [{"id": 7, "file_name": "part.png"}],
          "categories": [{"id": 1, "name": "scratch"}, {"id": 2, "name": "spot"}],
          "annotations": [{"id": 1, "image_id": 7, "category_id": 1, "bbox": [10, 10, 20, 20]},
                          {"id": 2, "image_id": 7, "category_id": 2, "bbox": [50, 50, 40, 40]}]}
    dets = {7: [{"class_id": 0, "score": 0.9, "box": [10, 10, 30, 30]},
                {"class_id": 0, "score": 0.8, "box": [60, 0, 75, 15]}]}
    summary, report = detection_report(gt, dets, ["scratch", "spot"])
    report["false_positives"][0]["image"] = "fp-0000.jpg"
    report["misses"][0]["image"] = "miss-0000.jpg"
    return summary, report


def classification_payload(flip=False):
    y = [0, 0, 1, 1]
    proba = [[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.7, 0.3]] if not flip else [[0.9, 0.1], [0.8, 0.2],
                                                                              [0.2, 0.8], [0.3, 0.7]]
    summary, report = classification_report(y, None, proba, ["ok", "ng"], ids=[1, 2, 3, 4])
    report["worst"][0]["image"] = "worst-0000.jpg"
    return summary, report


@pytest.fixture
def a(orgs, users):
    return branch_chain(orgs["a"], users["a_dev"], "plant-a")


@pytest.fixture
def b(orgs, users):
    return branch_chain(orgs["b"], users["b_dev"], "plant-b")


@pytest.fixture
def detection(a, users, tmp_path):
    summary, report = detection_payload()
    return record_evaluation(a["version"], kind="detection", dataset_version=a["dataset_version"], summary=summary,
                             report=report, images=_zip(tmp_path, ["fp-0000.jpg", "miss-0000.jpg"]),
                             split="validation split: 1 image", acting_user=users["a_dev"])


# --- the action -------------------------------------------------------------------------------

def test_record_keeps_the_payload_audits_and_links_lineage(detection, a, users):
    e = Evaluation.objects.get(pk=detection.pk)
    assert e.kind == "detection" and e.dataset_version_id == a["dataset_version"].pk
    assert e.summary["map50"] == pytest.approx(0.5) and e.report["false_positives"][0]["image"] == "fp-0000.jpg"
    assert e.created_by == users["a_dev"] and e.split == "validation split: 1 image"
    assert e.images.holdings.filter(organisation=a["model"].organisation).exists()
    assert LineageEdge.objects.filter(src_kind="dataset_version", src_id=a["dataset_version"].pk,
                                      dst_kind="model_version", dst_id=a["version"].pk, relation="evaluated_on").exists()
    event = AuditEvent.objects.get(action="evaluation.record")
    assert event.object_id == str(e.pk) and event.data["kind"] == "detection" and event.data["images"] == e.images_id


def test_an_evaluation_is_written_once(detection, a, users, tmp_path):
    detection.split = "rewritten"
    with pytest.raises(ValueError, match="written once"):
        detection.save()
    assert Evaluation.objects.get(pk=detection.pk).split == "validation split: 1 image"
    # A new measurement is a new record; the page shows the newest.
    summary, report = detection_payload()
    later = record_evaluation(a["version"], kind="detection", dataset_version=a["dataset_version"], summary=summary,
                              report=report, images=_zip(tmp_path, ["fp-0000.jpg", "miss-0000.jpg"], "2.zip"),
                              acting_user=users["a_dev"])
    assert list(a["version"].evaluations.values_list("pk", flat=True)) == [later.pk, detection.pk]


@pytest.mark.parametrize("kind, payload", [
    ("classification", lambda: classification_report([0, 1], [0, 1], None, ["x", "y"], [1, 2])),
    ("tabular_classification", lambda: binary_report([0, 1, 0, 1], [0.1, 0.8, 0.3, 0.6])),
    ("regression", lambda: regression_report([1, 2, 3], [1.5, 2, 2])),
    ("forecast", lambda: forecast_report([1, 2, 3, 4], [1, 2, 2, 5], 2)),
])
def test_every_kind_built_by_the_training_builders_is_accepted(a, users, kind, payload):
    summary, report = payload()
    e = record_evaluation(a["version"], kind=kind, dataset_version=a["dataset_version"].pk, summary=summary,
                          report=report, acting_user=users["a_dev"])
    assert e.kind == kind and e.images is None


@pytest.mark.parametrize("change, field", [
    (lambda k, s, r: ("nonsense", s, r), "kind"),
    (lambda k, s, r: (k, {}, r), "summary"),
    (lambda k, s, r: (k, {**s, "map50": float("nan")}, r), "summary.map50"),
    (lambda k, s, r: (k, {**s, "ok": True}, r), "summary.ok"),
    (lambda k, s, r: (k, s, {**r, "labels": ["scratch", "scratch"]}), "report.labels"),
    (lambda k, s, r: (k, s, {**r, "threshold": 2}), "report.threshold"),
    (lambda k, s, r: (k, s, {**r, "misses": [{**r["misses"][0], "class": "dent"}]}), "report.misses[0].class"),
    (lambda k, s, r: (k, s, {**r, "misses": [{**r["misses"][0], "box": [5, 5, 1, 1]}]}), "report.misses[0].box"),
    (lambda k, s, r: (k, s, {**r, "false_positives": [{**r["false_positives"][0], "image": "../../etc.jpg"}]}),
     "report.false_positives[0].image"),
    (lambda k, s, r: (k, s, {key: v for key, v in r.items() if key != "ap_by_size"}), "report.ap_by_size"),
    (lambda k, s, r: ("classification", s, r), "report.confusion_matrix"),
])
def test_a_payload_that_does_not_fit_its_kind_is_refused_naming_where(a, users, tmp_path, change, field):
    summary, report = detection_payload()
    kind, summary, report = change("detection", summary, copy.deepcopy(report))
    with pytest.raises(InvalidEvaluation) as exc:
        record_evaluation(a["version"], kind=kind, summary=summary, report=report,
                          images=_zip(tmp_path, ["fp-0000.jpg", "miss-0000.jpg"]), acting_user=users["a_dev"])
    assert exc.value.field == field, str(exc.value)
    assert not Evaluation.objects.exists() and not AuditEvent.objects.filter(action="evaluation.record").exists()


def test_the_thumbnails_must_match_the_report(a, users, tmp_path):
    summary, report = detection_payload()
    with pytest.raises(InvalidEvaluation, match="no zip"):
        record_evaluation(a["version"], kind="detection", summary=summary, report=report, acting_user=users["a_dev"])
    with pytest.raises(InvalidEvaluation, match="lacks: miss-0000.jpg"):
        record_evaluation(a["version"], kind="detection", summary=summary, report=report,
                          images=_zip(tmp_path, ["fp-0000.jpg"]), acting_user=users["a_dev"])
    with pytest.raises(InvalidEvaluation, match="flat"):
        record_evaluation(a["version"], kind="detection", summary=summary, report=report,
                          images=_zip(tmp_path, ["fp-0000.jpg", "miss-0000.jpg", "sub/x.jpg"]),
                          acting_user=users["a_dev"])
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(InvalidEvaluation, match="readable zip"):
        record_evaluation(a["version"], kind="detection", summary=summary, report=report,
                          images=tmp_path / "bad.zip", acting_user=users["a_dev"])
    assert not Evaluation.objects.exists()


def test_a_payload_over_two_megabytes_is_refused(a, users):
    summary, report = regression_report(list(range(100)), list(range(100)))
    report["padding"] = "x" * (schema.MAX_REPORT_BYTES + 1)
    with pytest.raises(EvaluationTooLarge, match="byte limit"):
        record_evaluation(a["version"], kind="regression", summary=summary, report=report, acting_user=users["a_dev"])
    assert not Evaluation.objects.exists()


def test_who_may_record_and_on_which_data(a, b, users):
    summary, report = regression_report([1, 2, 3], [1, 2, 2])
    with pytest.raises(PermissionError):
        record_evaluation(a["version"], kind="regression", summary=summary, report=report,
                          acting_user=users["a_viewer"])
    with pytest.raises(InvalidEvaluation, match="may see") as exc:
        record_evaluation(a["version"], kind="regression", dataset_version=b["dataset_version"], summary=summary,
                          report=report, acting_user=users["a_dev"])
    assert exc.value.field == "dataset_version"
    with pytest.raises(InvalidEvaluation, match="not a dataset version"):
        record_evaluation(a["version"], kind="regression", dataset_version=a["version"], summary=summary,
                          report=report, acting_user=users["a_dev"])
    assert not Evaluation.objects.exists()


# --- pages and API ------------------------------------------------------------------------------

def _login(client, user):
    client.force_login(user)
    return client


def test_the_page_draws_the_report_and_serves_its_thumbnails(client, detection, a, users):
    c = _login(client, users["a_viewer"])
    version_page = c.get(reverse("ui:version", args=[a["version"].pk])).content.decode()
    assert reverse("ui:version_evaluation", args=[a["version"].pk]) in version_page
    r = c.get(reverse("ui:version_evaluation", args=[a["version"].pk]))
    assert r.status_code == 200
    page = r.content.decode()
    for marker in ('id="pr-curves"', 'id="ap-by-size"', 'id="false-positives"', 'id="misses"', "plant-a-images v1",
                   "validation split: 1 image"):
        assert marker in page, marker
    thumb = reverse("ui:evaluation_image", args=[detection.pk, "fp-0000.jpg"])
    assert thumb in page
    image = c.get(thumb)
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(image.content)).size == (24, 16)
    assert c.get(reverse("ui:evaluation_image", args=[detection.pk, "other-0001.jpg"])).status_code == 404
    assert c.get(reverse("ui:version_evaluation", args=[a["version"].pk]) + "?evaluation=999999").status_code == 404


def test_a_version_without_evaluation_says_so(client, a, users):
    page = _login(client, users["a_dev"]).get(reverse("ui:version_evaluation", args=[a["version"].pk]))
    assert page.status_code == 200 and 'id="no-evaluation"' in page.content.decode()
    assert 'id="evaluation-report"' not in client.get(reverse("ui:version", args=[a["version"].pk])).content.decode()


def test_a_sibling_organisation_gets_404_everywhere(client, api, detection, a, b, users):
    c = _login(client, users["b_dev"])
    for url in (reverse("ui:version_evaluation", args=[a["version"].pk]),
                reverse("ui:version_compare", args=[b["version"].pk, a["version"].pk]),
                reverse("ui:version_compare", args=[a["version"].pk, b["version"].pk]),
                reverse("ui:evaluation_image", args=[detection.pk, "fp-0000.jpg"])):
        assert c.get(url).status_code == 404, url
    r = api(users["b_dev"]).get(f"/api/v1/versions/{a['version'].pk}/evaluations/")
    assert r.status_code == 404
    assert "plant-a" not in r.content.decode()


def test_a_published_model_shows_its_evaluation_below_but_not_beside(client, api, orgs, users, tmp_path):
    hq = branch_chain(orgs["hq"], users["hq_dev"], "hq")
    summary, report = classification_payload()
    e = record_evaluation(hq["version"], kind="classification", dataset_version=hq["dataset_version"],
                          summary=summary, report=report, images=_zip(tmp_path, ["worst-0000.jpg"]),
                          acting_user=users["hq_dev"])
    url = reverse("ui:version_evaluation", args=[hq["version"].pk])
    assert _login(client, users["a_dev"]).get(url).status_code == 404
    set_published(hq["model"], True, acting_user=users["hq_dev"])
    page = client.get(url)
    assert page.status_code == 200 and 'id="confusion-matrix"' in page.content.decode()
    # The dataset version stays HQ's: numbered, not named or linked.
    assert "hq-images" not in page.content.decode()
    assert client.get(reverse("ui:evaluation_image", args=[e.pk, "worst-0000.jpg"])).status_code == 200
    assert api(users["b_dev"]).get(f"/api/v1/versions/{hq['version'].pk}/evaluations/").status_code == 200


def test_api_lists_the_records_newest_first(api, detection, a, users):
    summary, report = regression_report([1, 2, 3], [1, 2, 2])
    later = record_evaluation(a["version"], kind="regression", summary=summary, report=report,
                              acting_user=users["a_dev"])
    r = api(users["a_viewer"]).get(f"/api/v1/versions/{a['version'].pk}/evaluations/")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2 and [x["id"] for x in body["results"]] == [later.pk, detection.pk]
    first = body["results"][1]
    assert first["kind"] == "detection" and first["dataset_version"] == a["dataset_version"].pk
    assert first["images"] == detection.images_id and first["report"]["false_positive_total"] == 1
    assert first["model_name"] == "plant-a-detector" and first["version"] == 1 and first["created_by"] == "a_dev"
    only = api(users["a_viewer"]).get(f"/api/v1/versions/{a['version'].pk}/evaluations/?kind=detection&report=false")
    assert [x["id"] for x in only.json()["results"]] == [detection.pk] and "report" not in only.json()["results"][0]
    on = api(users["a_viewer"]).get(
        f"/api/v1/versions/{a['version'].pk}/evaluations/?dataset_version={a['dataset_version'].pk}")
    assert [x["id"] for x in on.json()["results"]] == [detection.pk]
    bad = api(users["a_viewer"]).get(f"/api/v1/versions/{a['version'].pk}/evaluations/?kind=poetry")
    assert bad.status_code == 400 and "kind" in bad.content.decode()


def test_compare_two_versions_on_the_same_dataset_version(client, a, users, tmp_path):
    v2 = create_version(a["model"], artifact=a["version"].artifact, acting_user=users["a_dev"])
    for version, flip, name in ((a["version"], False, "1.zip"), (v2, True, "2.zip")):
        summary, report = classification_payload(flip)
        record_evaluation(version, kind="classification", dataset_version=a["dataset_version"], summary=summary,
                          report=report, images=_zip(tmp_path, ["worst-0000.jpg"], name), acting_user=users["a_dev"])
    c = _login(client, users["a_dev"])
    page = c.get(reverse("ui:version_evaluation", args=[a["version"].pk])).content.decode()
    compare = reverse("ui:version_compare", args=[a["version"].pk, v2.pk])
    assert compare in page
    r = c.get(compare)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="compare-summary"' in html and 'id="compare-per-class"' in html and 'id="not-comparable"' not in html
    # v1 got 2 of 4 right, v2 all 4: accuracy +0.5, better.
    assert '<tr data-metric="accuracy"><td>Accuracy</td><td class="num">0.5</td><td class="num">1</td>' in html
    assert '<span class="badge ok">+0.5</span>' in html
    data = json.loads(html.split('id="compare-classes-data" type="application/json">')[1].split("</script>")[0])
    assert [s["name"] for s in data["series"]] == ["plant-a-detector v1", "plant-a-detector v2"]


def test_compare_says_so_when_the_data_differ(client, orgs, a, users):
    from core.data.actions.datasets import add_version

    other = add_version(a["dataset"], artifact=a["version"].artifact, acting_user=users["a_dev"], num_records=5)
    v2 = create_version(a["model"], artifact=a["version"].artifact, acting_user=users["a_dev"])
    summary, report = regression_report([1, 2, 3], [1, 2, 2])
    record_evaluation(a["version"], kind="regression", dataset_version=a["dataset_version"], summary=summary,
                      report=report, acting_user=users["a_dev"])
    record_evaluation(v2, kind="regression", dataset_version=other, summary=summary, report=report,
                      acting_user=users["a_dev"])
    r = _login(client, users["a_dev"]).get(reverse("ui:version_compare", args=[a["version"].pk, v2.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="not-comparable"' in html and "were not evaluated on the same dataset version" in html
    assert "plant-a-images v1" in html and "plant-a-images v2" in html
