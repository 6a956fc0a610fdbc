"""Every demo login does its main task in Debian's Chromium, on what `seed_demo --light`
seeds (the same code as `make demo`, with small jobs run here instead of by a worker):
HQ's admin watches the whole tree, HQ's developer reads a version, HQ's approver approves
HQ's champion, the auditor takes an evidence pack and checks the audit chain, HQ's annotator
draws and submits a box in the separator label check, North's
developer sends North's scorecard to validation, North's operator inspects a part at the
North line station (serving HQ's published detector), North's approver approves North's
champion, South's viewer sees what HQ shares and nothing of North's, South's developer
watches South's camera, South's approver approves South's detector. Only local requests."""
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.hub.models import AliasChangeRequest, ModelAlias, RegisteredModel
from core.inference import engine
from core.platform.demo import DEMO_PASSWORD, DEMO_USERS
from core.training.actions.runner import run_job
from core.training.models import Job
from tests.e2e.conftest import assert_only_local_requests, new_page
from verticals.city.models import Camera
from verticals.finance.models import ModelRiskRecord
from verticals.manufacturing.lib.synth.separator import generate
from verticals.manufacturing.models import Inspection, Station

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# The jobs a branch login's task depends on; the others stay queued, as in a demo whose
# worker has not got to them yet.
NEEDED_JOBS = ("finance.demo_pipeline", "manufacturing.separator_pipeline")


@pytest.fixture
def demo():
    engine.forget_all()
    call_command("seed_demo", light=True)
    for job in Job.objects.filter(trainer__in=NEEDED_JOBS).order_by("pk"):
        assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail[-3000:]


def sign_in(chromium, base_url, username, path):
    page = new_page(chromium)
    page.goto(base_url + path)
    assert urlparse(page.url).path == reverse("login")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("#sign-in")
    page.wait_for_url(base_url + path)
    return page


def done(page):
    assert_only_local_requests(page)
    assert page.errors == []
    page.context.close()


def model_names(page):
    return set(page.locator("#models-table tbody td:first-child > a").all_inner_texts())


def test_each_demo_login_does_its_main_task(live_server, chromium, demo, tmp_path):
    base = live_server.url
    # The branches own real things: North's station serves HQ's published model.
    station = Station.objects.get(code="n1-s1")
    served = station.deployment.model_version.model
    assert station.organisation.code == "north" and served.organisation.code == "hq" and served.published
    walked = set()

    # hq-admin: the whole tree at work, branches included.
    page = sign_in(chromium, base, "hq-admin", reverse("ui:jobs"))
    jobs = page.inner_text("#jobs-table")
    assert "North Plant" in jobs and "Zhongtai Group HQ" in jobs
    page.goto(base + reverse("ui:audit") + "?actor=north-dev")
    assert "north-dev" in page.inner_text("#audit-table")
    done(page)
    walked.add("hq-admin")

    # hq-dev: reads the scorecard's version page: metrics as tables, raw JSON behind a toggle.
    card = RegisteredModel.objects.get(name="retail-scorecard")
    page = sign_in(chromium, base, "hq-dev", reverse("ui:model", args=[card.pk]))
    assert "Yours: another approver decides" in page.inner_text("body")
    page.click(f"a[href='{reverse('ui:version', args=[card.versions.get().pk])}']")
    page.wait_for_selector(".metric-block")
    assert page.locator("#raw-metrics").is_visible() and not page.locator("#raw-metrics pre").is_visible()
    assert "auc" in page.inner_text("main").lower()
    done(page)
    walked.add("hq-dev")

    # hq-approver: approves HQ's champion from the finance queue.
    hq_request = AliasChangeRequest.objects.get(model=card)
    page = sign_in(chromium, base, "hq-approver", reverse("finance:dashboard"))
    row = page.locator(f"#request-{hq_request.pk}")
    assert "hq-dev" in row.inner_text()
    row.locator("button[data-action=approve]").click()
    page.wait_for_selector("#queue-notice")
    assert "Approved" in page.inner_text("#queue-notice")
    done(page)
    hq_request.refresh_from_db()
    assert hq_request.status == "approved" and hq_request.decided_by.username == "hq-approver"
    walked.add("hq-approver")

    # auditor: an evidence pack of the detector North runs, and the audit chain intact.
    version = station.deployment.model_version
    page = sign_in(chromium, base, "auditor", reverse("ui:version", args=[version.pk]))
    with page.expect_download() as download:
        page.click("#evidence-pack")
    pack = tmp_path / "pack.zip"
    download.value.save_as(pack)
    call_command("verify_evidence", str(pack))  # raises CommandError unless the signature holds
    page.goto(base + reverse("ui:audit"))
    page.click("#verify-chain")
    page.wait_for_selector("#verify-outcome[data-intact=true]")
    done(page)
    walked.add("auditor")

    # hq-annotator: opens their first task of the separator label check, draws a box, submits it.
    from core.data.models import LabelProject, LabelTask

    label_project = LabelProject.objects.get(name="separator-label-check")
    page = sign_in(chromium, base, "hq-annotator", reverse("ui:label_project", args=[label_project.pk]))
    first = page.locator("tr[data-task] a").first
    first.click()
    page.wait_for_selector("#labeler[data-ready=true]")
    before = int(page.get_attribute("#labeler", "data-boxes"))
    box = page.locator("#labeler-svg").bounding_box()
    page.keyboard.press("1")
    page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.1)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.2)
    page.mouse.up()
    page.wait_for_selector(f"#labeler[data-boxes='{before + 1}']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#labeler[data-revision='1']")
    done(page)
    task = LabelTask.objects.filter(project=label_project, labelled_by__username="hq-annotator").get()
    assert task.status == "submitted" and len(task.labels) == before + 1
    walked.add("hq-annotator")

    # north-dev: sends North's own scorecard to validation in the model inventory.
    north_card = RegisteredModel.objects.get(name="north-retail-scorecard")
    assert north_card.organisation.code == "north"
    record = ModelRiskRecord.objects.get(model=north_card)
    page = sign_in(chromium, base, "north-dev", reverse("finance:inventory"))
    assert page.locator(f"#record-{ModelRiskRecord.objects.get(model=card).pk}").count() == 0  # HQ's, unshared
    form = page.locator(f"#record-{record.pk} form.fin-status-form")
    form.locator("select[name=status]").select_option("validation")
    form.locator("input[name=reason]").fill("ready for independent review")
    form.locator("button").click()
    page.wait_for_selector(f"#record-{record.pk} .fin-row-ok")
    done(page)
    record.refresh_from_db()
    assert record.status == "validation"
    walked.add("north-dev")

    # north-operator: inspects a part at the North line station; HQ's station is not theirs to see.
    part = generate(tmp_path / "parts", n_images=1, seed=7)
    image = next((tmp_path / "parts" / "images").glob("*.png"))
    assert part["num_images"] == 1
    page = sign_in(chromium, base, "north-operator", reverse("manufacturing:stations"))
    assert page.locator("a.mf-station-link").count() == 1
    page.click(f"a.mf-station-link[href='{reverse('manufacturing:station', args=[station.pk])}']")
    page.set_input_files("#inspect-files", [str(image)])
    page.click("#inspect-submit")
    page.wait_for_function("() => document.querySelectorAll('#results .mf-card').length === 1")
    assert page.locator("#results .mf-verdict.big").inner_text().strip() in ("PASS", "REJECT")
    done(page)
    inspection = Inspection.objects.get(station=station)
    assert inspection.inspected_by.username == "north-operator"
    walked.add("north-operator")

    # north-approver: approves north-dev's champion; HQ's request is not in North's queue.
    north_request = AliasChangeRequest.objects.get(model=north_card)
    page = sign_in(chromium, base, "north-approver", reverse("finance:dashboard"))
    assert page.locator(f"#request-{hq_request.pk}").count() == 0
    page.locator(f"#request-{north_request.pk} button[data-action=approve]").click()
    page.wait_for_selector("#queue-notice")
    assert "Approved" in page.inner_text("#queue-notice")
    done(page)
    champion = ModelAlias.objects.get(model=north_card, name="champion")
    assert champion.approved_by.username == "north-approver" and champion.updated_by.username == "north-dev"
    walked.add("north-approver")

    # south-viewer: what HQ shares, nothing of North's, nothing HQ keeps.
    page = sign_in(chromium, base, "south-viewer", reverse("ui:models"))
    names = model_names(page)
    assert {"separator-defect", "heat-load-baseline"} <= names
    assert not names & {"north-retail-scorecard", "retail-scorecard"}
    done(page)
    walked.add("south-viewer")

    # south-dev: South's own camera, analysed; HQ's cameras are not South's.
    camera = Camera.objects.get(code="kamppi")
    assert camera.organisation.code == "south" and camera.frames_analysed > 0
    page = sign_in(chromium, base, "south-dev", reverse("city:cameras"))
    assert set(page.locator("tr[data-camera]").evaluate_all("rows => rows.map(r => r.dataset.camera)")) == {"kamppi"}
    page.click(f"a[href='{reverse('city:camera', args=[camera.pk])}']")
    assert camera.name in page.inner_text("body")
    done(page)
    walked.add("south-dev")

    # south-approver: approves south-dev's detector as champion on the hub's model page.
    south_request = AliasChangeRequest.objects.get(model__organisation__code="south")
    page = sign_in(chromium, base, "south-approver", reverse("ui:model", args=[south_request.model_id]))
    form = page.locator(f"form.decide-form[data-request='{south_request.pk}']")
    form.locator("input[name=comment]").fill("runs on the Kamppi camera")
    form.locator("button[value=approve]").click()
    page.wait_for_selector(".page-message")
    assert "Approved" in page.inner_text(".page-message")
    done(page)
    south_request.refresh_from_db()
    assert south_request.status == "approved" and south_request.decided_by.username == "south-approver"
    walked.add("south-approver")

    assert walked == {username for username, _, _ in DEMO_USERS}
