"""The line-QC pages: station list and dashboard, uploads through the form, stream
polling, reviews, the permission-checked image view, and who may do what."""
import gettext
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from core.hub.actions.artifacts import store_file
from core.hub.actions.registry import create_model, create_version
from core.inference import engine
from core.inference.actions.deployments import create_deployment
from core.platform.verticals import Dashboard, MenuItem, registry
from verticals.manufacturing.actions import inspections, stations
from verticals.manufacturing.models import Inspection
from verticals.manufacturing.views import present

LABELS = ["dark_square", "bright_disc"]


def text(response):
    return response.content.decode()


def html_client(client, user):
    client.force_login(user)
    return client


def make_station(org, dev, bundle, *, code="sep-01", threshold=0.05):
    art, _ = store_file(bundle, organisation=org, acting_user=dev)
    model = create_model(name=f"{code}-det", organisation=org, acting_user=dev)
    version = create_version(model, artifact=art, acting_user=dev, params={"labels": LABELS},
                             metrics={"map50": 0.8125, "map50_95": 0.51,
                                      "line": {"threshold": 0.5, "over_kill_rate": 0.05, "escape_rate": 0.0,
                                               "parts": 6}})
    deployment = create_deployment(name=f"{code}-dep", organisation=org, model_version=version,
                                   profile="cpu-onnxruntime", acting_user=dev, config={"min_score": 0.0})
    return stations.create_station(code=code, name=f"Separator {code}", line="Coating line 2", organisation=org,
                                  deployment=deployment, acting_user=dev, reject_threshold=threshold)


@pytest.fixture
def line(tiny_detector, orgs, users):
    """Plant A's station with a real tiny detector, and Plant B's, for isolation checks."""
    bundle, coco = tiny_detector
    engine.forget_all()
    a = make_station(orgs["a"], users["a_dev"], bundle)
    b = make_station(orgs["b"], users["b_dev"], bundle, code="sep-b")
    images = sorted((coco / "images").glob("*.png"))
    return {"a": a, "b": b, "images": images}


def upload(client, station, files, htmx=True):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("manufacturing:inspect", args=[station.pk]), {"images": files}, **headers)


def png(path):
    fh = open(path, "rb")
    return fh


# --- contract: menu and dashboard ----------------------------------------------------

def test_menu_and_dashboard_are_registered():
    menu = registry["menu"]["manufacturing"]
    assert menu == [MenuItem(label=menu[0].label, url_name="manufacturing:stations", icon="factory")]
    board = registry["dashboards"]["manufacturing.line-qc"]
    assert isinstance(board, Dashboard) and board.url_name == "manufacturing:stations"
    assert reverse("manufacturing:stations") == "/v/manufacturing/"
    assert reverse("manufacturing:station", args=[3]) == "/v/manufacturing/stations/3/"


def test_station_list_needs_login_and_renders_empty(client, users):
    assert client.get(reverse("manufacturing:stations")).status_code == 302
    response = html_client(client, users["a_viewer"]).get(reverse("manufacturing:stations"))
    assert response.status_code == 200
    assert "No inspection stations" in text(response)
    assert reverse("manufacturing:stations") in text(response)  # the Applications menu links here


# --- pure presentation helpers --------------------------------------------------------

def test_chart_data_fills_every_hour_and_keeps_rate_gaps():
    from django.utils import timezone

    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    hour = now.replace(minute=0)
    summary = {
        "window_hours": 24, "parts": 3, "rejects": 2, "defects_by_class": {"a": 2, "b": 1},
        "by_hour": {"hours": [(hour - timezone.timedelta(hours=2)).isoformat(), hour.isoformat()],
                    "parts": [1, 2], "rejects": [1, 1], "by_class": {"a": [1, 1], "b": [0, 1]},
                    "over_kill_rate": [None, 0.5], "escape_rate": [None, 0.0]},
        "line": {"reviewed": 2, "over_kill_rate": 0.5, "escape_rate": None},
    }
    data = present.chart_data(summary, now=now)
    assert len(data["hours"]) == 25 and data["hours"][-1] == hour.strftime("%H:00")
    assert data["parts"][-1] == 2 and data["parts"][-3] == 1 and sum(data["parts"]) == 3
    assert data["passes"][-1] == 1 and data["rejects"][-3] == 1
    assert data["over_kill"][-1] == 50.0 and data["over_kill"][-2] is None and data["escape"][-1] == 0.0
    assert [c["name"] for c in data["classes"]] == ["a", "b"] and data["classes"][0]["total"] == 2


def test_kpis_show_a_dash_when_nothing_was_reviewed():
    class S:
        reject_threshold, guard_level = 0.5, None

    summary = {"window_hours": 24, "parts": 0, "rejects": 0, "line": {"reviewed": 0, "over_kill_rate": None,
                                                                       "escape_rate": None},
               "model_eval": {"map50": None, "map50_95": None, "ap50_per_class": None, "line": None}}
    k = present.kpis(summary, S())
    assert k["reject_rate"] == k["over_kill"] == k["escape"] == k["map50"] == k["eval_over_kill"] == "—"
    assert k["threshold"] == "0.50"


def test_kpis_show_the_operating_point_and_the_classic_baseline():
    class S:
        reject_threshold, guard_level = 0.12, None

    op = {"threshold": 0.12, "over_kill_rate": 0.1, "escape_rate": 0.05, "max_escape": 0.05, "parts": 80}
    base = {"name": "classic flat-field threshold",
            "operating_point": {"threshold": 4.8, "over_kill_rate": 0.25, "escape_rate": 0.05, "max_escape": 0.05}}
    summary = {"window_hours": 24, "parts": 0, "rejects": 0,
               "line": {"reviewed": 0, "over_kill_rate": None, "escape_rate": None},
               "model_eval": {"map50": 0.4, "map50_95": 0.2, "line": {"threshold": 0.5, "over_kill_rate": 0.0,
                                                                       "escape_rate": 0.9},
                              "operating_point": op, "baseline": base}}
    k = present.kpis(summary, S())
    assert (k["eval_threshold"], k["eval_over_kill"], k["eval_escape"], k["eval_max_escape"]) == \
        ("0.12", "10.0%", "5.0%", "5%")
    assert (k["baseline_over_kill"], k["baseline_escape"], k["beats_baseline"]) == ("25.0%", "5.0%", True)
    assert k["least_found"] is None  # evaluated before found_by_class was recorded
    op["found_by_class"] = {"scratch": {"defects": 10, "found": 9}, "pinhole": {"defects": 12, "found": 0},
                            "dent": {"defects": 3, "found": 0}, "wrinkle": {"defects": 0, "found": 0}}
    # two classes found 0 times: the one with more defects missed says more
    assert present.kpis(summary, S())["least_found"] == {"name": "pinhole", "label": "pinhole", "found": 0, "defects": 12}
    summary["model_eval"]["baseline"]["operating_point"]["over_kill_rate"] = 0.05
    assert present.kpis(summary, S())["beats_baseline"] is False
    # a model evaluated before operating points existed: the fixed-threshold figures
    del summary["model_eval"]["operating_point"], summary["model_eval"]["baseline"]
    k = present.kpis(summary, S())
    assert k["eval_threshold"] == "0.50" and k["eval_escape"] == "90.0%" and k["baseline"] is None


def test_a_guarded_station_shows_what_it_runs():
    class S:
        reject_threshold, guard_level = 0.41, 8.14

    model_alone = {"threshold": 0.12, "over_kill_rate": 0.2, "escape_rate": 0.05, "max_escape": 0.05, "parts": 200,
                   "found_by_class": {"scratch": {"defects": 10, "found": 3}}}
    guarded = {"level": 8.14, "good_parts": 80, "highest_good": 7.4,
               "operating_point": {"threshold": 0.41, "over_kill_rate": 0.06, "escape_rate": 0.04, "max_escape": 0.05,
                                   "parts": 200}}
    base = {"name": "classic flat-field threshold",
            "operating_point": {"threshold": 4.8, "over_kill_rate": 0.18, "escape_rate": 0.05, "max_escape": 0.05}}
    summary = {"window_hours": 24, "parts": 0, "rejects": 0,
               "line": {"reviewed": 0, "over_kill_rate": None, "escape_rate": None},
               "model_eval": {"map50": 0.4, "map50_95": 0.2, "operating_point": model_alone, "baseline": base,
                              "guarded": guarded}}
    k = present.kpis(summary, S())
    assert (k["eval_threshold"], k["eval_over_kill"], k["eval_escape"]) == ("0.41", "6.0%", "4.0%")
    assert k["eval_guard"] == k["guard"] == "8.1" and k["beats_baseline"] and k["least_found"] is None
    S.guard_level = None  # guard turned off at the station: the model's own figures
    k = present.kpis(summary, S())
    assert k["eval_threshold"] == "0.12" and k["eval_guard"] is k["guard"] is None
    assert k["least_found"] == {"name": "scratch", "label": "scratch", "found": 3, "defects": 10}

    class I:
        image_width, image_height = 320, 320
        defects = [{"label": "dent", "class_id": 2, "score": 0.8, "box": [10, 10, 30, 30]},
                   {"label": "contrast", "score": None, "peak": 14.2, "box": [200, 150, 204, 154], "source": "guard"}]
        defect_counts = {"dent": 1, "contrast": 1}

    b = present.boxes(I())
    assert b[1]["colour"] == present.GUARD_COLOUR != b[0]["colour"] and b[1]["score"] is None and b[1]["peak"] == 14.2
    assert {c["label"]: c["colour"] for c in present.defect_chips(I())}["contrast"] == present.GUARD_COLOUR


def test_boxes_stay_inside_the_image_and_tags_do_not_pile_up():
    class I:
        image_width, image_height = 200, 100
        defects = [{"label": "scratch", "class_id": 1, "score": 0.9, "box": [10, 10, 50, 30]},
                   {"label": "dent", "class_id": 2, "score": 0.8, "box": [12, 11, 40, 28]},  # same spot
                   {"label": "dent", "class_id": 2, "score": 0.7, "box": [150, 2, 260, 120]}]  # past the edge

    b = present.boxes(I())
    assert [x["tag"] for x in b] == [True, False, True]
    assert b[2]["w"] == 50 and b[2]["h"] == 98 and b[2]["tag_below"]
    assert b[0]["left"] == 5.0 and b[0]["top"] == 10.0 and b[0]["colour"] != b[1]["colour"]


class Part:
    """An inspection as the presenter reads it (no database)."""
    image_width, image_height = 200, 100
    station = None

    def __init__(self, verdict, defects, *, threshold=0.45, max_score=0.0, guard_level=None):
        self.verdict, self.defects, self.threshold = verdict, defects, threshold
        self.max_score, self.guard_level = max_score, guard_level


MARK = {"label": "contrast", "score": None, "peak": 9.31, "box": [0, 0, 9, 9], "source": "guard"}


def test_the_reason_of_a_reject_by_the_model_names_the_strongest_defect():
    part = Part("reject", [{"label": "pinhole", "score": 0.5, "box": [0, 0, 5, 5]},
                           {"label": "scratch", "score": 0.8234, "box": [20, 20, 40, 30]}], max_score=0.8234)
    assert present.reason(part) == "Rejected: scratch 0.82 ≥ reject threshold 0.45"
    part.defects.append(MARK)
    assert present.reason(part) == "Rejected: scratch 0.82 ≥ reject threshold 0.45, and by the contrast guard"


def test_the_reason_of_a_reject_by_the_contrast_guard_names_its_strongest_mark():
    part = Part("reject", [{**MARK, "peak": 7.9}, MARK], max_score=0.21, guard_level=7.2)
    assert present.reason(part) == "Rejected by the contrast guard: mark 9.3σ above level 7.2σ"


def test_the_reason_of_a_pass_gives_the_strongest_detection_under_the_threshold():
    assert present.reason(Part("pass", [], max_score=0.2109)) == "Passed: strongest detection 0.21 < reject threshold 0.45"


def test_the_reason_and_the_boxes_in_chinese():
    from django.utils import translation

    part = Part("reject", [{"label": "scratch", "score": 0.82, "box": [0, 0, 5, 5]}])
    with translation.override("zh-hans"):
        line = present.reason(part)
        drawn, _ = present.shown_boxes(part)
    assert "划痕" in line and "0.82" in line and "Rejected" not in line
    assert drawn[0]["name"] == "划痕"


def test_a_part_draws_a_handful_of_boxes_above_the_display_threshold():
    # 20 overlapping scratches and 12 separate pinholes, all over the reject threshold 0.1
    defects = [{"label": "scratch", "class_id": 1, "score": 0.9 - i / 100, "box": [10 + i / 10, 10, 30 + i / 10, 20]}
               for i in range(20)]
    defects += [{"label": "pinhole", "class_id": 6, "score": 0.2 + i / 20, "box": [14 * i, 60, 14 * i + 6, 66]}
                for i in range(12)]
    part = Part("reject", defects, threshold=0.1)
    drawn, weaker = present.shown_boxes(part)
    # display threshold: max(0.3, 0.1); one scratch, then the strongest pinholes up to the cap
    assert len(drawn) == 5 and drawn[0]["label"] == "scratch"
    assert all(b["score"] >= 0.3 for b in drawn)
    assert weaker == 13 - 5
    assert len(present.boxes(part)) == 32  # what is stored is unchanged


# --- pages with a real model -------------------------------------------------------------

@pytest.mark.slow
def test_operator_uploads_images_and_sees_verdicts_with_boxes(client, users, line):
    station = line["a"]
    client = html_client(client, users["a_operator"])
    page = client.get(reverse("manufacturing:station", args=[station.pk]))
    assert page.status_code == 200
    assert 'id="inspect-form"' in text(page) and "No parts inspected yet." in text(page)

    with png(line["images"][1]) as one, png(line["images"][2]) as two:
        response = upload(client, station, [one, two])
    assert response.status_code == 200, text(response)
    body = text(response)
    parts = list(Inspection.objects.filter(station=station).order_by("pk"))
    assert len(parts) == 2
    assert body.count('class="mf-card ') == 2 and "<html" not in body
    for i in parts:
        assert f'id="part-{i.pk}"' in body
        assert reverse("manufacturing:inspection_image", args=[i.pk]) in body
        assert reverse("ui:lineage", args=["prediction", i.prediction_id]) in body
        assert f"{i.model_version.model.name} v{i.model_version.version}" in body
    assert body.count("<rect ") == sum(len(present.shown_boxes(i)[0]) for i in parts)
    for i in parts:
        assert present.reason(i) in body
    verdicts = re.findall(r'mf-verdict big (pass|reject)', body)
    assert sorted(verdicts) == sorted(i.verdict for i in parts)
    # KPIs, chart data and the table are refreshed out of band.
    assert 'id="kpis" hx-swap-oob="true"' in body and 'id="inspections-table" hx-swap-oob="true"' in body
    data = json.loads(re.search(r'<script id="summary-data" type="application/json">(.*?)</script>', body).group(1))
    assert sum(data["parts"]) == 2 and [c["name"] for c in data["classes"]] == LABELS

    page = client.get(reverse("manufacturing:station", args=[station.pk]))
    assert page.context["kpi"]["parts"] == 2
    assert page.context["summary"]["parts"] == 2
    assert text(page).count('class="mf-row ') == 2

    listing = text(client.get(reverse("manufacturing:stations")))
    assert reverse("manufacturing:station", args=[station.pk]) in listing
    assert "sep-b" not in listing  # the sibling branch's station


@pytest.mark.slow
def test_bad_uploads_get_an_inline_error_per_file(client, users, line):
    station = line["a"]
    client = html_client(client, users["a_operator"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    junk = SimpleUploadedFile("notes.txt", b"this is not an image", content_type="text/plain")
    response = upload(client, station, [junk])
    assert response.status_code == 400
    body = text(response)
    assert "data-upload-error" in body and "notes.txt" in body
    assert "Not a readable image." in body and "not a decodable image" in body
    assert Inspection.objects.count() == 0

    # A bad file beside a good one: the good one is inspected, the bad one explained.
    empty = SimpleUploadedFile("empty.png", b"", content_type="image/png")
    with png(line["images"][3]) as good:
        response = upload(client, station, [empty, good])
    assert response.status_code == 200
    body = text(response)
    assert body.count("data-upload-error") == 1 and "empty.png" in body and body.count('class="mf-card ') == 2
    assert Inspection.objects.count() == 1

    response = upload(client, station, [])
    assert response.status_code == 400 and "Choose at least one image" in text(response)

    # Without HTMX (no JavaScript) the form posts and comes back to the page.
    with png(line["images"][4]) as good:
        response = upload(client, station, [good], htmx=False)
    assert response.status_code == 302 and response["Location"] == reverse("manufacturing:station",
                                                                            args=[station.pk])


@pytest.mark.slow
def test_stopped_deployment_is_explained_not_a_500(client, users, line):
    from core.inference.actions.deployments import set_status

    station = line["a"]
    set_status(station.deployment, "stopped", acting_user=users["a_dev"])
    client = html_client(client, users["a_operator"])
    with png(line["images"][1]) as one:
        response = upload(client, station, [one])
    assert response.status_code == 400
    assert "cannot serve right now" in text(response) and "is stopped" in text(response)


@pytest.mark.slow
def test_review_updates_the_truth_and_the_rates(client, users, line):
    station = line["a"]
    inspection, _ = inspections.inspect(station, line["images"][1].read_bytes(), acting_user=users["a_operator"],
                                    source="cam-1")
    client = html_client(client, users["a_operator"])
    url = reverse("manufacturing:review", args=[inspection.pk])
    response = client.post(url, {"truth": "defective"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, text(response)
    inspection.refresh_from_db()
    assert inspection.truth == "defective" and inspection.reviewed_by == users["a_operator"]
    body = text(response)
    assert body.lstrip().startswith(f'<tr id="row-{inspection.pk}"')
    assert 'data-truth="defective"' in body and 'id="kpis" hx-swap-oob="true"' in body
    expected = "0.0%" if inspection.verdict == "reject" else "100.0%"
    assert re.search(r'data-kpi="escape".*?<div class="k-value">' + re.escape(expected), body, re.DOTALL)

    assert client.post(url, {"truth": "maybe"}, HTTP_HX_REQUEST="true").status_code == 400
    inspection.refresh_from_db()
    assert inspection.truth == "defective"


@pytest.mark.slow
def test_a_guarded_station_draws_the_contrast_marks(client, users, line):
    station = stations.set_guard(line["a"], 3.0, acting_user=users["a_dev"])
    client = html_client(client, users["a_operator"])
    with png(line["images"][1]) as one:
        body = text(upload(client, station, [one]))
    inspection = Inspection.objects.get(station=station)
    marks = [d for d in inspection.defects if d["label"] == "contrast"]
    # the test film's squares and discs stand far above its grain: the guard marks them
    assert marks and inspection.verdict == "reject" and inspection.guard_level == 3.0
    assert f"{marks[0]['peak']:.1f}σ" in body and present.GUARD_COLOUR in body
    data = json.loads(re.search(r'<script id="summary-data" type="application/json">(.*?)</script>', body).group(1))
    assert [c["name"] for c in data["classes"]] == LABELS + ["contrast"]
    page = text(client.get(reverse("manufacturing:station", args=[station.pk])))
    assert '<span class="mono" id="station-guard">≥ 3.0σ</span>' in page and "or contrast ≥ 3.0σ" in page
    stations.set_guard(station, None, acting_user=users["a_dev"])
    page = text(client.get(reverse("manufacturing:station", args=[station.pk])))
    assert '<span class="mono" id="station-guard">off</span>' in page
    # the part inspected under the guard still counts under "contrast" in the window's chart
    assert "contrast" in page and "or contrast ≥" not in page


@pytest.mark.slow
def test_a_part_with_many_overlapping_detections_draws_the_cap_and_counts_the_weaker(client, users, line):
    station = line["a"]
    client = html_client(client, users["a_operator"])
    with png(line["images"][1]) as one:
        assert upload(client, station, [one]).status_code == 200
    part = Inspection.objects.get(station=station)
    # what a loose model makes of one part: 24 boxes round one scratch and 9 pinholes, all over the threshold
    many = [{"label": "dark_square", "class_id": 0, "score": 0.95 - k / 100, "box": [20 + k / 8, 20, 60 + k / 8, 50]}
            for k in range(24)]
    many += [{"label": "bright_disc", "class_id": 1, "score": 0.5 + k / 50, "box": [10 * k, 80, 10 * k + 6, 86]}
             for k in range(9)]
    Inspection.objects.filter(pk=part.pk).update(verdict="reject", defects=many, threshold=0.05)
    page = text(client.get(reverse("manufacturing:station", args=[station.pk])))
    card = re.search(rf'<article class="mf-card reject" id="part-{part.pk}".*?</article>', page, re.S).group(0)
    assert card.count("<rect ") == 5
    assert "and 5 weaker" in card  # 10 distinct defects after merging, 5 drawn
    assert "Rejected: dark_square 0.95 ≥ reject threshold 0.05" in card
    assert 'id="station-display-threshold">0.30<' in page


@pytest.mark.slow
def test_stream_feed_returns_only_newer_inspections(client, users, line):
    station = line["a"]
    first, _ = inspections.inspect(station, line["images"][1].read_bytes(), acting_user=users["a_operator"],
                               source="camera-7")
    client = html_client(client, users["a_viewer"])
    url = reverse("manufacturing:feed", args=[station.pk])
    assert client.get(url, {"after": first.pk}, HTTP_HX_REQUEST="true").status_code == 204
    # A camera posting to the API between two polls.
    second, _ = inspections.inspect(station, line["images"][2].read_bytes(), acting_user=users["a_dev"],
                                source="camera-7")
    response = client.get(url, {"after": first.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = text(response)
    assert f'id="part-{second.pk}"' in body and f'id="part-{first.pk}"' not in body
    assert f'id="feed-after" name="after" value="{second.pk}" hx-swap-oob="true"' in body
    assert client.get(url, {"after": "x"}).status_code == 400


@pytest.mark.slow
def test_viewers_and_auditors_see_a_read_only_dashboard(client, users, line):
    station = line["a"]
    inspection, _ = inspections.inspect(station, line["images"][1].read_bytes(), acting_user=users["a_operator"])
    for who in ("a_viewer", "hq_auditor"):
        client.force_login(users[who])
        page = client.get(reverse("manufacturing:station", args=[station.pk]))
        assert page.status_code == 200, who
        body = text(page)
        assert 'id="inspect-form"' not in body and "Actually good" not in body, who
        assert f'id="part-{inspection.pk}"' in body and 'id="stream-toggle"' in body
        with png(line["images"][2]) as one:
            assert upload(client, station, [one]).status_code == 403, who
        assert client.post(reverse("manufacturing:review", args=[inspection.pk]), {"truth": "good"},
                           HTTP_HX_REQUEST="true").status_code == 403, who
    assert Inspection.objects.count() == 1
    inspection.refresh_from_db()
    assert inspection.truth == ""

    client.force_login(users["a_operator"])
    body = text(client.get(reverse("manufacturing:station", args=[station.pk])))
    assert "Actually good" in body and "Actually defective" in body and 'id="inspect-form"' in body


@pytest.mark.slow
def test_other_branches_get_404_everywhere(client, users, line):
    a, b = line["a"], line["b"]
    inspection, _ = inspections.inspect(a, line["images"][1].read_bytes(), acting_user=users["a_operator"])
    client.force_login(users["b_dev"])
    assert client.get(reverse("manufacturing:station", args=[a.pk])).status_code == 404
    assert client.get(reverse("manufacturing:feed", args=[a.pk])).status_code == 404
    assert client.get(reverse("manufacturing:inspection_image", args=[inspection.pk])).status_code == 404
    assert client.post(reverse("manufacturing:review", args=[inspection.pk]), {"truth": "good"}).status_code == 404
    with png(line["images"][2]) as one:
        assert upload(client, a, [one]).status_code == 404
    assert client.get(reverse("manufacturing:station", args=[b.pk])).status_code == 200
    inspection.refresh_from_db()
    assert inspection.truth == "" and Inspection.objects.count() == 1


@pytest.mark.slow
def test_image_view_streams_the_inspected_bytes(client, users, line):
    data = line["images"][1].read_bytes()
    inspection, _ = inspections.inspect(line["a"], data, acting_user=users["a_operator"])
    for who in ("a_viewer", "hq_auditor"):
        client.force_login(users[who])
        response = client.get(reverse("manufacturing:inspection_image", args=[inspection.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == data
    client.logout()
    assert client.get(reverse("manufacturing:inspection_image", args=[inspection.pk])).status_code == 302


@pytest.mark.slow
def test_station_page_in_chinese(client, users, line):
    station = line["a"]
    inspections.inspect(station, line["images"][1].read_bytes(), acting_user=users["a_operator"])
    client.force_login(users["a_operator"])
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    body = text(client.get(reverse("manufacturing:station", args=[station.pk])))
    assert 'lang="zh-hans"' in body
    for phrase in ("产线质检", "检测零件", "最近检测", "实际合格", "过杀率", "漏检率", "追溯"):
        assert phrase in body, phrase
    assert "产线质检工位" in text(client.get(reverse("manufacturing:stations")))


LOCALE = Path(__file__).resolve().parents[2] / "verticals" / "manufacturing" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_the_verticals_chinese_catalogue_is_complete_and_compiled():
    from tests.ui.test_pages import po_entries

    entries = po_entries(LOCALE / "django.po")
    assert len(entries) > 60
    assert [msgid for _, msgid, strs in entries if not all(strs)] == []
    with open(LOCALE / "django.mo", "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    assert [msgid for _, msgid, strs in entries if compiled.gettext(msgid) != strs[0]] == [], \
        "run compilemessages in verticals/manufacturing: django.mo is older than django.po"



def test_a_model_under_the_believable_map_says_why_on_the_page():
    class S:
        reject_threshold, guard_level = 0.5, None

    summary = {"window_hours": 24, "parts": 0, "rejects": 0,
               "line": {"reviewed": 0, "over_kill_rate": None, "escape_rate": None},
               "model_eval": {"map50": 0.31, "map50_95": 0.1, "val_images": 32},
               "model_training": {"epochs": 16, "pretrained": 7, "architecture": "picodet-s-p2-384"},
               "model_version": {"id": 41, "model": "separator-defect", "version": 2}}
    k = present.kpis(summary, S())
    assert k["map50_low"] is True
    assert k["map50_why"] == {"target": "0.5", "epochs": 16, "preset": True, "val_images": 32, "version_id": 41}
    summary["model_training"]["pretrained"] = "none"
    assert present.kpis(summary, S())["map50_why"]["preset"] is False
    summary["model_eval"]["map50"] = 0.5
    assert present.kpis(summary, S())["map50_low"] is False
    summary["model_eval"]["map50"] = None  # nothing measured: no claim either way
    assert present.kpis(summary, S())["map50_low"] is False
