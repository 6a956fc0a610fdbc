"""A line operator in Debian's Chromium: sign in, open the station, upload two parts
through the form, see their verdicts with boxes drawn and the charts, review one, then
follow a verdict's trace to the model version that made it. Only local requests."""
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from core.hub.actions.artifacts import store_file
from core.hub.actions.registry import create_model, create_version
from core.inference import engine
from core.inference.actions.deployments import create_deployment
from tests.e2e.conftest import assert_only_local_requests
from verticals.manufacturing.actions.stations import create_station
from verticals.manufacturing.models import Inspection

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]



def sign_in(page, base_url, username, password):
    page.goto(base_url + reverse("manufacturing:stations"))
    assert urlparse(page.url).path == reverse("login")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#sign-in")
    page.wait_for_url(base_url + reverse("manufacturing:stations"))


@pytest.fixture
def station(tiny_detector, orgs, users):
    bundle, _ = tiny_detector
    engine.forget_all()
    dev, plant = users["a_dev"], orgs["a"]
    art, _ = store_file(bundle, organisation=plant, acting_user=dev)
    model = create_model(name="separator-det", organisation=plant, acting_user=dev)
    version = create_version(model, artifact=art, acting_user=dev, params={"labels": ["dark_square", "bright_disc"]},
                             metrics={"map50": 0.75, "map50_95": 0.42,
                                      "line": {"threshold": 0.5, "over_kill_rate": 0.1, "escape_rate": 0.0}})
    deployment = create_deployment(name="coating-2", organisation=plant, model_version=version,
                                   profile="cpu-onnxruntime", acting_user=dev, config={"min_score": 0.0})
    # The tiny test model scores low: a low threshold makes its boxes count as defects.
    return create_station(code="c2-s1", name="Coating 2 / film inspection", line="Coating 2", organisation=plant,
                          deployment=deployment, acting_user=dev, reject_threshold=0.05)


def test_operator_inspects_two_parts_and_traces_a_verdict(live_server, page, screenshot, station, tiny_detector):
    _, coco = tiny_detector
    images = sorted((coco / "images").glob("*.png"))[1:3]
    sign_in(page, live_server.url, "a_operator", "pw-a_operator")
    page.click(f"a.mf-station-link[href='{reverse('manufacturing:station', args=[station.pk])}']")
    page.wait_for_selector("#chart-verdicts[data-rendered=true]")
    assert page.locator("#results .mf-card").count() == 0

    page.set_input_files("#inspect-files", [str(p) for p in images])
    page.click("#inspect-submit")
    page.wait_for_function("() => document.querySelectorAll('#results .mf-card').length === 2")
    badges = page.locator("#results .mf-verdict.big")
    assert badges.count() == 2
    assert all(t.strip() in ("PASS", "REJECT") for t in badges.all_inner_texts())
    assert 0 < page.locator("#results svg.mf-boxes rect").count() <= 2 * 5  # a handful per part
    reasons = page.locator("#results .mf-reason").all_inner_texts()
    assert len(reasons) == 2 and all(r.startswith(("Passed: ", "Rejected")) for r in reasons)
    # The images themselves loaded (served by the permission-checked view).
    page.wait_for_function("() => [...document.querySelectorAll('#results img')].every(i => i.complete && i.naturalWidth > 0)")

    # KPIs, charts and table followed the upload without a reload.
    assert page.inner_text("[data-kpi=parts] .k-value").strip() == "2"
    assert page.locator("#inspections-table tbody tr.mf-row").count() == 2
    for chart in ("classes", "hourly", "verdicts", "rates"):
        canvas = page.wait_for_selector(f"#chart-{chart} canvas")
        assert canvas.bounding_box()["width"] > 200
    parts_drawn = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-verdicts')).getOption().series"
        ".reduce((s, x) => s + x.data.reduce((a, b) => a + b, 0), 0)")
    assert parts_drawn == 2
    screenshot("line-station-en")

    # The operator re-checks the newest part: it was really defective.
    newest = Inspection.objects.filter(station=station).latest("pk")
    page.click(f"#row-{newest.pk} button[data-truth=defective]")
    page.wait_for_selector(f"#row-{newest.pk} .mf-truth[data-truth=defective]")
    newest.refresh_from_db()
    assert newest.truth == "defective" and newest.reviewed_by.username == "a_operator"

    # Chinese, then the trace of a verdict.
    page.click("button[value=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")
    page.wait_for_selector("#chart-verdicts[data-rendered=true]")
    assert "检测零件" in page.inner_text("body")
    screenshot("line-station-zh")
    page.click("button[value=en]")
    page.wait_for_selector("html[lang=en]")

    card = page.locator(f"#part-{newest.pk}")
    card.locator("a.mf-trace").click()
    page.wait_for_url(live_server.url + reverse("ui:lineage", args=["prediction", newest.prediction_id]))
    page.wait_for_selector("#lineage-graph canvas")
    nodes = page.inner_text("#lineage-nodes")
    assert "separator-det v1" in nodes and "Model version" in nodes

    assert page.errors == []
    assert_only_local_requests(page)


def test_stream_mode_shows_parts_posted_by_a_camera(live_server, page, station, tiny_detector, users, api):
    _, coco = tiny_detector
    image = sorted((coco / "images").glob("*.png"))[4]
    sign_in(page, live_server.url, "a_viewer", "pw-a_viewer")
    page.goto(live_server.url + reverse("manufacturing:station", args=[station.pk]))
    page.wait_for_selector("#chart-verdicts[data-rendered=true]")
    assert page.locator("#inspect-form").count() == 0  # viewers watch, they do not inspect
    page.check("#stream-toggle", force=True)

    # A line camera posts a part to the API (as the device account of an operator).
    with open(image, "rb") as fh:
        r = api(users["a_operator"]).post(f"/api/v1/manufacturing/stations/{station.pk}/inspect/",
                                          {"image": fh}, format="multipart")
    assert r.status_code == 201, r.content
    page.wait_for_selector(f"#part-{r.json()['id']}", timeout=15000)
    page.wait_for_function("() => document.querySelector('[data-kpi=parts] .k-value').textContent.trim() === '1'")
    assert page.locator("#results .mf-card").count() == 1
    assert page.errors == []
    assert_only_local_requests(page)
