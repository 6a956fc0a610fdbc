"""Credit risk in Debian's Chromium: an approver opens the dashboard of a scorecard trained
on German credit, sees the ROC, KS and PSI charts drawn, approves the pending champion
request from the queue; then an operator scores an applicant and reads the reason codes.
Only local requests."""
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from core.hub.actions.registry import request_alias
from core.hub.models import AliasChangeRequest, ModelAlias
from core.inference import engine
from core.inference.actions.deployments import create_deployment
from tests.e2e.conftest import assert_only_local_requests
from tests.finance.test_dashboard import applicants, serve_history, train_german_scorecard

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username, password, path):
    page.goto(base_url + path)
    assert urlparse(page.url).path == reverse("login")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#sign-in")
    page.wait_for_url(base_url + path)


@pytest.fixture
def scorecard(orgs, users):
    engine.forget_all()
    world = train_german_scorecard(orgs["a"], users["a_dev"])
    world["deployment"] = create_deployment(name="retail-online", organisation=orgs["a"],
                                            model_version=world["version"], profile="cpu-scorecard",
                                            acting_user=users["a_dev"])
    serve_history(world["deployment"], world["frame"], users["a_operator"], days=3, per_day=40)
    _, world["request"] = request_alias(world["model"], alias="champion", version=world["version"],
                                        acting_user=users["a_dev"], reason="holdout AUC above the bureau score")
    return world


def test_approver_reviews_and_approves_then_operator_scores(live_server, chromium, page, screenshot, scorecard):
    req = scorecard["request"]
    sign_in(page, live_server.url, "a_approver", "pw-a_approver", reverse("finance:dashboard"))
    for chart in ("roc", "ks", "psi", "hist", "importance"):
        page.wait_for_selector(f"#chart-{chart}[data-rendered=true]")
        canvas = page.wait_for_selector(f"#chart-{chart} canvas")
        assert canvas.bounding_box()["width"] > 200, chart
    psi_points = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-psi')).getOption().series"
        ".find(s => s.type === 'line').data.filter(v => v !== null).length")
    assert psi_points == 3
    marks = page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-psi')).getOption().series"
        ".find(s => s.type === 'line').markLine.data.map(d => d.yAxis)")
    assert marks == [0.1, 0.25]
    assert page.inner_text("[data-kpi=auc] .k-value").strip() == f"{scorecard['version'].metrics['auc']:.3f}"
    row = page.locator(f"#request-{req.pk}")
    assert "a_dev" in row.inner_text() and "holdout AUC above the bureau score" in row.inner_text()
    screenshot("finance-dashboard")

    row.locator("input[name=comment]").fill("validated by model risk")
    row.locator("button[data-action=approve]").click()
    page.wait_for_selector("#queue-notice")
    assert "Approved" in page.inner_text("#queue-notice")
    assert page.locator(f"#request-{req.pk}").count() == 0
    req.refresh_from_db()
    assert req.status == AliasChangeRequest.Status.APPROVED and req.decided_by.username == "a_approver"
    assert ModelAlias.objects.get(model=scorecard["model"], name="champion").version == scorecard["version"]
    assert page.errors == []
    assert_only_local_requests(page)

    # The operator scores one applicant through the generated form.
    context = chromium.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    op = context.new_page()
    op.requests, op.errors = [], []
    op.on("request", lambda request: op.requests.append(request.url))
    op.on("pageerror", lambda error: op.errors.append(str(error)))
    try:
        url = reverse("finance:score", args=[scorecard["deployment"].pk])
        sign_in(op, live_server.url, "a_operator", "pw-a_operator", url)
        record = applicants(scorecard["frame"], 1, start=7)[0]
        names = op.eval_on_selector_all("#score-form [name]:not([type=hidden])", "els => els.map(e => e.name)")
        assert names
        for name in names:
            value = str(record[name])
            if op.locator(f"select[name='{name}']").count():
                op.select_option(f"select[name='{name}']", value)
            else:
                op.fill(f"input[name='{name}']", value)
        op.click("#score-submit")
        op.wait_for_selector("#reason-codes li[data-reason]")
        reasons = op.locator("#reason-codes li[data-reason]")
        assert 1 <= reasons.count() <= 3
        assert op.inner_text("#reason-codes li[data-reason] .fin-code").strip() == "R1"
        assert f"v{scorecard['version'].version}" in op.inner_text("#result-version")
        assert op.inner_text("#result-pd").strip().endswith("%")
        assert op.errors == []
        assert_only_local_requests(op)
    finally:
        context.close()
