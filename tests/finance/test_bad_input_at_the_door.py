"""finance.scorecard refuses a bad target when the job is submitted (no job row, no
audit event), and a scorecard leaves identifier and free-text columns out, saying why."""
import numpy as np
import pandas as pd
import pytest

from core.data.actions.datasets import create_dataset
from core.data.actions.tables import import_table
from core.platform.models import AuditEvent
from core.training.actions.runner import run_job
from core.training.models import Job
from verticals.finance.lib.datasets import load_german_credit
from verticals.finance.lib.scorecard import build
from verticals.finance.lib.scorecard.screening import near_unique_reason


def version(users, orgs, frame, name="t"):
    ds = create_dataset(name=name, organisation=orgs["a"], kind="tabular", vertical="finance",
                        acting_user=users["a_dev"])
    return import_table(frame.to_csv(index=False).encode(), dataset=ds, filename=f"{name}.csv",
                        acting_user=users["a_dev"])


def submit(api, user, params):
    return api(user).post("/api/v1/jobs/", {"trainer": "finance.scorecard", "organisation": "plant-a",
                                            "params": params}, format="json")


@pytest.mark.parametrize("target, frame_target, expect", [
    ("absent", [0, 1, 0, 1], "target: column 'absent' is not in dataset version"),
    ("grade", [0, 1, 0, 1], "must be binary (two values"),
    ("bad", [0, 0, 0, 0], "needs both goods (0) and bads (1)"),
    ("bad", ["yes", "no", "no", "yes"], "name the bad value with bad_value"),
    ("bad", [0, 1, None, 1], "missing values"),
])
def test_bad_target_is_refused_at_submission(api, users, orgs, target, frame_target, expect):
    dv = version(users, orgs, pd.DataFrame({"x": [1, 2, 3, 4], "grade": ["a", "b", "c", "d"], "bad": frame_target}))
    events, jobs = AuditEvent.objects.count(), Job.objects.count()
    r = submit(api, users["a_dev"], {"dataset_version": dv.pk, "target": target})
    assert r.status_code == 400, r.content
    body = r.json()
    assert expect in body["message"] and any(m.startswith("target: ") for m in body["errors"]["params"]), body
    assert Job.objects.count() == jobs and AuditEvent.objects.count() == events


def test_parameters_are_refused_at_submission(api, users, orgs):
    dv = version(users, orgs, pd.DataFrame({"x": [1, 2, 3, 4], "bad": [0, 1, 0, 1]}))
    for params, expect in (({"dataset_version": dv.pk}, "target: is required"),
                           ({"dataset_version": dv.pk, "target": "bad", "test_size": 0.9}, "test_size"),
                           ({"dataset_version": dv.pk, "target": "bad", "cv_folds": 1}, "cv_folds"),
                           ({"dataset_version": dv.pk, "target": "bad", "options": {"min_IV": 1}}, "unknown option"),
                           ({"dataset_version": dv.pk, "target": "bad", "features": ["nope"]}, "features: columns")):
        r = submit(api, users["a_dev"], params)
        assert r.status_code == 400 and expect in r.json()["message"], (params, r.content)
    assert Job.objects.count() == 0


def test_a_named_bad_value_maps_a_text_target(api, users, orgs):
    frame = pd.DataFrame({"x": [1, 2, 3, 4], "bad": ["yes", "no", "no", "yes"]})
    dv = version(users, orgs, frame)
    r = submit(api, users["a_dev"], {"dataset_version": dv.pk, "target": "bad", "bad_value": "maybe"})
    assert r.status_code == 400 and "bad_value 'maybe' is not a value" in r.json()["message"]
    r = submit(api, users["a_dev"], {"dataset_version": dv.pk, "target": "bad", "bad_value": "yes"})
    assert r.status_code == 201, r.content


def test_gbk_table_is_checked_with_its_encoding(api, users, orgs):
    ds = create_dataset(name="gbk", organisation=orgs["a"], kind="tabular", vertical="finance",
                        acting_user=users["a_dev"])
    body = "收入,违约\n1,0\n2,1\n3,2\n".encode("gb18030")
    dv = import_table(body, dataset=ds, filename="gbk.csv", acting_user=users["a_dev"], encoding="gb18030")
    r = submit(api, users["a_dev"], {"dataset_version": dv.pk, "target": "违约"})
    assert r.status_code == 400 and "must be binary" in r.json()["message"], r.content


def test_near_unique_rule():
    n = 500
    assert near_unique_reason(pd.Series([f"C{i:05d}" for i in range(n)]), max_distinct=1000,
                              max_distinct_ratio=0.95).startswith("free text or identifier")
    assert near_unique_reason(pd.Series(range(n)), max_distinct=1000, max_distinct_ratio=0.95).startswith("identifier")
    assert near_unique_reason(pd.Series([f"t{i}" for i in range(1200)] * 2), max_distinct=1000,
                              max_distinct_ratio=0.95).startswith("free text")
    # amounts with mostly distinct values are binned on their order and stay
    assert near_unique_reason(pd.Series(np.linspace(100, 9000, n)), max_distinct=1000, max_distinct_ratio=0.95) is None
    assert near_unique_reason(pd.Series(["a", "b", "c"] * 100), max_distinct=1000, max_distinct_ratio=0.95) is None


@pytest.fixture(scope="module")
def german():
    return load_german_credit()


def test_id_column_is_left_out_with_its_reason_and_german_credit_keeps_its_columns(german):
    opts = {"max_n_prebins": 10}
    plain = build.build_scorecard(german, "creditability", opts)
    assert not [s for s in plain["selection"] if "options.keep" in (s["reason"] or "")]
    # An application number sorted by outcome: binned, it would separate goods from bads perfectly.
    order = german.sort_values("creditability", kind="stable").index
    ids = pd.Series(range(len(german)), index=order).sort_index()
    with_id = german.assign(application_no=ids.map(lambda i: f"APP-{i:06d}"), row_id=ids)
    card = build.build_scorecard(with_id, "creditability", opts)
    selection = {s["name"]: s for s in card["selection"]}
    for name in ("application_no", "row_id"):
        assert not selection[name]["selected"] and "options.keep" in selection[name]["reason"]
    assert "free text or identifier" in selection["application_no"]["reason"]
    # every other column is treated exactly as before
    assert [v["name"] for v in card["variables"]] == [v["name"] for v in plain["variables"]]
    # kept anyway on request: the column is binned and goes through the ordinary selection
    kept = build.build_scorecard(with_id, "creditability", {**opts, "keep": ["row_id"]})
    row = {s["name"]: s for s in kept["selection"]}["row_id"]
    assert row["iv"] is not None and "identifier" not in (row["reason"] or "")
    with pytest.raises(build.ScorecardError, match="keep names columns not in the table"):
        build.build_scorecard(german, "creditability", {**opts, "keep": ["nope"]})


def test_an_iv_far_above_one_is_left_out_unless_kept():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 600)
    leak = np.where(y == 1, rng.normal(3, 1, 600), rng.normal(0, 1, 600))  # the target, nearly written down again
    frame = pd.DataFrame({"leak": leak, "noise": rng.normal(size=600), "bad": y})
    card_opts = {"min_iv": 0.0, "enforce_sign": False}
    with pytest.raises(build.ScorecardError, match="no variable passed"):
        build.build_scorecard(frame[["leak", "bad"]], "bad", card_opts)
    sel = {s["name"]: s for s in build.build_scorecard(frame, "bad", card_opts)["selection"]}
    assert sel["leak"]["iv"] > 3 and "too good to be true" in sel["leak"]["reason"] and not sel["leak"]["selected"]
    kept = build.build_scorecard(frame, "bad", {**card_opts, "keep": ["leak"]})
    assert "leak" in [v["name"] for v in kept["variables"]]


@pytest.mark.slow
def test_trained_scorecard_reports_what_it_left_out(users, orgs, german):
    from core.training.actions.jobs import submit_job

    frame = german.assign(customer=[f"cust-{i}" for i in range(len(german))])
    dv = version(users, orgs, frame, name="german-with-ids")
    job = submit_job(trainer="finance.scorecard", organisation=orgs["a"], acting_user=users["a_dev"],
                     params={"dataset_version": dv.pk, "target": "creditability", "seed": 0, "cv_folds": 0})
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail[-3000:]
    job.refresh_from_db()
    assert "free text or identifier" in job.result["left_out"]["customer"]
    assert "customer left out" in job.log_tail
