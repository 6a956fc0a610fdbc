"""Scorecard and metric math checked against hand computations (no database)."""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from verticals.finance.lib import metrics as M
from verticals.finance.lib import validation as V
from verticals.finance.lib.scorecard import artifact, binning, build, errors, points, scoring

FACTOR = 20 / math.log(2)  # 28.85390081777927
OFFSET = 600 - FACTOR * math.log(50)  # 600 - 28.8539 * 3.912023 = 487.1228762045055


# ----------------------------------------------------------------------------- WOE / IV


def test_woe_iv_by_hand():
    # good = [60, 30, 10] (G = 100), bad = [10, 10, 20] (B = 40)
    # bin 1: g% = 0.60, b% = 0.25 -> WOE = ln(0.60/0.25) = ln 2.4 = 0.8754687374
    #        IV = (0.60 - 0.25) * 0.8754687 = 0.3064140581
    # bin 2: g% = 0.30, b% = 0.25 -> WOE = ln 1.2 = 0.1823215568, IV = 0.05 * 0.18232 = 0.0091160778
    # bin 3: g% = 0.10, b% = 0.50 -> WOE = ln 0.2 = -1.6094379124, IV = (-0.4) * (-1.60944) = 0.6437751650
    # IV total = 0.3064140581 + 0.0091160778 + 0.6437751650 = 0.9593053009
    woe, iv_bins, iv = binning.woe_iv([60, 30, 10], [10, 10, 20])
    assert woe == pytest.approx([0.8754687374, 0.1823215568, -1.6094379124], abs=1e-9)
    assert iv_bins == pytest.approx([0.3064140581, 0.0091160778, 0.6437751650], abs=1e-9)
    assert iv == pytest.approx(0.9593053009, abs=1e-9)


def test_woe_smoothing_of_an_empty_cell():
    # good = [50, 0, 50] (G = 100), bad = [10, 5, 5] (B = 20)
    # bin 1: ln((50/100)/(10/20)) = ln 1 = 0, IV 0
    # bin 2 has no goods: 0.5 is added to both counts -> good 0.5, bad 5.5 (G, B unchanged)
    #        WOE = ln((0.5/100)/(5.5/20)) = ln(0.005/0.275) = -4.0073331852
    #        IV = (0/100 - 5/20) * (-4.0073331852) = 1.0018332963   (raw counts in the weight)
    # bin 3: ln((50/100)/(5/20)) = ln 2 = 0.6931471806, IV = (0.5 - 0.25) * ln 2 = 0.1732867951
    woe, iv_bins, iv = binning.woe_iv([50, 0, 50], [10, 5, 5])
    assert woe == pytest.approx([0.0, -4.0073331852, 0.6931471806], abs=1e-9)
    assert iv_bins == pytest.approx([0.0, 1.0018332963, 0.1732867951], abs=1e-9)
    assert iv == pytest.approx(1.1751200914, abs=1e-9)


def test_scaling_and_bin_points_by_hand():
    sp = points.scaling_parameters(600, 50, 20)
    assert sp["factor"] == pytest.approx(28.8539008178, abs=1e-9)
    assert sp["offset"] == pytest.approx(487.1228762045, abs=1e-9)
    # Odds good:bad of 50 -> 600; doubling the odds (100) -> 620; halving (25) -> 580.
    assert sp["offset"] + sp["factor"] * math.log(50) == pytest.approx(600)
    assert sp["offset"] + sp["factor"] * math.log(100) == pytest.approx(620)
    assert sp["offset"] + sp["factor"] * math.log(25) == pytest.approx(580)
    # WOE 0.5, b_j = -0.8, b0 = -1.2, n = 4:
    # -(-0.8 * 0.5 + -1.2 / 4) * 28.8539008 + 487.1228762 / 4 = 0.7 * 28.8539008 + 121.7807191 = 141.9784496
    assert points.bin_points(0.5, -0.8, -1.2, 4, sp["factor"], sp["offset"]) == pytest.approx(141.9784496236, abs=1e-9)


# ----------------------------------------------------------------------------- a built scorecard


def grade_table():
    # grade A: 90 good / 10 bad, B: 70 / 30, C: 40 / 60 -> G = 200, B = 100
    rows = [("A", 0)] * 90 + [("A", 1)] * 10 + [("B", 0)] * 70 + [("B", 1)] * 30 + [("C", 0)] * 40 + [("C", 1)] * 60
    return pd.DataFrame(rows, columns=["grade", "bad"])


def test_single_variable_scorecard_by_hand():
    # WOE_A = ln((90/200)/(10/100)) = ln 4.5 = 1.5040773968
    # WOE_B = ln((70/200)/(30/100)) = ln(7/6) = 0.1541506798
    # WOE_C = ln((40/200)/(60/100)) = ln(1/3) = -1.0986122887
    # IV = 0.35 * 1.5040774 + 0.05 * 0.1541507 + (-0.4) * (-1.0986123) = 0.9735795383
    # With one exact-WOE variable the logistic regression (almost no penalty, C = 1e6) is
    # ln(p_bad/p_good) = ln(B/G) - WOE, i.e. b = -1, b0 = ln(100/200) = -0.6931471806.
    # Points = offset + factor * ln(odds good:bad of the bin):
    #   A: 487.1228762 + 28.8539008 * ln 9     = 550.5213762
    #   B: 487.1228762 + 28.8539008 * ln(7/3)  = 511.5707246
    #   C: 487.1228762 + 28.8539008 * ln(2/3)  = 475.4236262
    sc = build.build_scorecard(grade_table(), "bad", {"C": 1e6})
    (var,) = sc["variables"]
    assert var["type"] == "categorical"
    assert [b["categories"] for b in var["bins"]] == [["A"], ["B"], ["C"]]
    assert [b["count"] for b in var["bins"]] == [100, 100, 100]
    assert [b["bad_rate"] for b in var["bins"]] == [0.1, 0.3, 0.6]
    assert [b["woe"] for b in var["bins"]] == pytest.approx([1.5040773968, 0.1541506798, -1.0986122887], abs=1e-9)
    assert var["iv"] == pytest.approx(0.9735795383, abs=1e-9)
    assert var["coefficient"] == pytest.approx(-1.0, abs=1e-6)
    assert sc["model"]["intercept"] == pytest.approx(-0.6931471806, abs=1e-6)
    assert [b["points"] for b in var["bins"]] == pytest.approx([550.5213762, 511.5707246, 475.4236262], abs=1e-4)
    # Scored: the PD of grade C is its bad rate 0.6; the score follows the odds.
    (a, c) = scoring.score_records(sc, [{"grade": "A"}, {"grade": "C"}])
    assert c["pd"] == pytest.approx(0.6, abs=1e-6)
    assert a["pd"] == pytest.approx(0.1, abs=1e-6)
    assert a["score"] == pytest.approx(550.5213762, abs=1e-4)
    assert a["reasons"] == []  # A is the best bin: no points lost
    assert c["reasons"] == [{"variable": "grade", "bin": "C", "points": c["score"], "points_lost": pytest.approx(550.5213762 - 475.4236262, abs=1e-4)}]


def hand_scorecard(intercept, woes):
    """A one-variable scorecard written by hand, points from the formula."""
    sp = points.scaling_parameters(600, 50, 20)
    pts = points.bin_points(woes, -1.0, intercept, 1, sp["factor"], sp["offset"])
    bins = [
        {"index": i, "label": f"g{i}", "categories": [f"g{i}"], "missing": False, "woe": w, "points": float(p), "count": 1, "good": 1, "bad": 0, "bad_rate": 0.0, "iv": 0.0}
        for i, (w, p) in enumerate(zip(woes, pts))
    ]
    return {
        "format": artifact.FORMAT,
        "scaling": sp,
        "model": {"intercept": intercept, "coefficients": {"g": -1.0}},
        "variables": [{"name": "g", "type": "categorical", "coefficient": -1.0, "bins": bins, "points_min": float(min(pts)), "points_max": float(max(pts))}],
        "schema": {"g": {"type": "categorical", "categories": [b["label"] for b in bins], "missing_allowed": False}},
    }


def test_base_odds_give_base_score_and_doubling_adds_pdo():
    # b0 = -ln 50, b = -1: a bin with WOE 0 has ln(odds bad) = -ln 50 -> odds good:bad = 50 -> 600;
    # WOE ln 2 -> odds 100 -> 620; WOE -ln 2 -> odds 25 -> 580.
    sc = hand_scorecard(-math.log(50), [0.0, math.log(2), -math.log(2)])
    r = scoring.score_records(sc, [{"g": "g0"}, {"g": "g1"}, {"g": "g2"}])
    assert [x["score"] for x in r] == pytest.approx([600, 620, 580], abs=1e-9)
    assert r[0]["pd"] == pytest.approx(1 / 51)
    assert r[1]["pd"] == pytest.approx(1 / 101)


def make_table(n=2000, seed=0):
    """x_strong and grade drive the target; x_dup is x_strong plus a little noise
    (highly correlated, lower IV); noise (a coin) has no relation to the target; income has
    missing values."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, n)
    grade = rng.choice(["A", "B", "C", "D"], n, p=[0.3, 0.3, 0.25, 0.15])
    g_eff = pd.Series(grade).map({"A": -0.8, "B": 0.0, "C": 0.5, "D": 1.1}).to_numpy()
    income = rng.lognormal(8, 0.4, n)
    logit = -1.2 + 1.1 * x + g_eff - 0.6 * (np.log(income) - 8)
    bad = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    income[rng.random(n) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "x_strong": x.round(3),
            "x_dup": (x + rng.normal(0, 0.3, n)).round(3),
            "noise": rng.choice(["heads", "tails"], n),
            "grade": grade,
            "income": income.round(0),
            "bad": bad,
        }
    )


@pytest.fixture(scope="module")
def table():
    return make_table()


@pytest.fixture(scope="module")
def card(table):
    return build.build_scorecard(table, "bad")


def test_selection_by_iv_and_correlation(card):
    sel = {s["name"]: s for s in card["selection"]}
    assert [s["name"] for s in card["selection"]] == ["x_strong", "x_dup", "noise", "grade", "income"]
    assert sel["noise"]["selected"] is False
    assert sel["noise"]["iv"] < 0.02
    assert "min_iv" in sel["noise"]["reason"]
    assert sel["x_dup"]["selected"] is False
    assert sel["x_dup"]["iv"] < sel["x_strong"]["iv"]
    assert "max_corr" in sel["x_dup"]["reason"] and "'x_strong'" in sel["x_dup"]["reason"]
    assert {v["name"] for v in card["variables"]} == {"x_strong", "grade", "income"}
    for name in ("x_strong", "grade", "income"):
        assert sel[name]["selected"] is True and sel[name]["reason"] is None
    # Coefficients are negative under WOE = ln(good share / bad share) with bad = 1.
    assert all(c < 0 for c in card["model"]["coefficients"].values())


def test_selection_thresholds_are_options(table):
    sc = build.build_scorecard(table, "bad", {"max_corr": 0.99, "min_iv": 0.0})
    names = {v["name"] for v in sc["variables"]}
    assert {"x_strong", "x_dup"} <= names  # their correlation (about 0.9) is now allowed


def test_scorecard_structure_and_schema(card, table):
    assert set(card) >= {"format", "target", "options", "scaling", "model", "variables", "schema", "selection", "score_range", "training"}
    assert card["scaling"] == {"base_score": 600.0, "base_odds": 50.0, "pdo": 20.0, "factor": artifact.round_sig(FACTOR), "offset": artifact.round_sig(OFFSET)}
    inc = card["schema"]["income"]
    assert inc["missing_allowed"] is True
    lo, hi = table["income"].min(), table["income"].max()
    assert inc["observed_min"] == lo and inc["observed_max"] == hi
    assert inc["accepted_min"] == pytest.approx(lo - 0.5 * (hi - lo)) and inc["accepted_max"] == pytest.approx(hi + 0.5 * (hi - lo))
    assert card["schema"]["x_strong"]["missing_allowed"] is False
    assert card["schema"]["grade"] == {"type": "categorical", "categories": ["A", "B", "C", "D"], "missing_allowed": False}
    income = next(v for v in card["variables"] if v["name"] == "income")
    assert income["bins"][-1]["missing"] is True and income["bins"][-1]["count"] == int(table["income"].isna().sum())
    x = next(v for v in card["variables"] if v["name"] == "x_strong")
    assert x["bins"][0]["lower"] is None and x["bins"][-1]["upper"] is None
    assert all(b["upper"] == nb["lower"] for b, nb in zip(x["bins"], x["bins"][1:]))
    # Own counts agree with the table, and the bins' IVs add up to the variable's IV.
    assert sum(b["count"] for b in x["bins"]) == len(table)
    assert sum(b["iv"] for b in x["bins"]) == pytest.approx(x["iv"], rel=1e-8)
    # Every bin's points follow the formula from the stored (rounded) numbers.
    n = len(card["variables"])
    for v in card["variables"]:
        for b in v["bins"]:
            expected = -(v["coefficient"] * b["woe"] + card["model"]["intercept"] / n) * card["scaling"]["factor"] + card["scaling"]["offset"] / n
            assert b["points"] == pytest.approx(expected, abs=1e-6)
    assert json.loads(artifact.scorecard_to_json(card)) == card


def test_score_matches_the_log_odds(card, table):
    # score = offset + factor * ln((1 - pd) / pd) for every record: base odds -> 600, x2 odds -> +20.
    recs = table.drop(columns="bad").head(50).to_dict("records")
    for r in scoring.score_records(card, recs):
        assert r["score"] == pytest.approx(OFFSET + FACTOR * math.log((1 - r["pd"]) / r["pd"]), abs=1e-5)
    frame = scoring.score_frame(card, table.head(50))
    assert frame["score"].to_numpy() == pytest.approx([r["score"] for r in scoring.score_records(card, recs)], abs=1e-6)


def test_single_record_scoring_and_reason_order(card):
    rec = {"x_strong": 2.5, "x_dup": 0.0, "noise": "heads", "grade": "D", "income": None}
    (r,) = scoring.score_records(card, [rec])
    assert scoring.score_records(card, rec) == [r]  # a dict is one record
    assert set(r["points"]) == {"x_strong", "grade", "income"}
    assert r["score"] == pytest.approx(sum(r["points"].values()))
    assert r["bins"]["income"] == "Missing"
    lost = sorted(((v["points_max"] - r["points"][v["name"]], v["name"]) for v in card["variables"]), key=lambda t: (-t[0], t[1]))
    expected = [name for d, name in lost if d > 1e-9][:3]
    assert [x["variable"] for x in r["reasons"]] == expected
    assert [x["points_lost"] for x in r["reasons"]] == sorted([x["points_lost"] for x in r["reasons"]], reverse=True)
    assert r["reasons"][0]["bin"] == r["bins"][r["reasons"][0]["variable"]]
    assert len(scoring.score_records(card, [rec], n_reasons=1)[0]["reasons"]) == 1


def test_best_bins_give_max_score_and_no_reasons(card):
    best = {}
    for v in card["variables"]:
        b = max(v["bins"], key=lambda b: b["points"])
        if b["missing"]:
            best[v["name"]] = None
        elif v["type"] == "categorical":
            best[v["name"]] = b["categories"][0]
        else:
            best[v["name"]] = b["lower"] if b["lower"] is not None else b["upper"] - 1
    (r,) = scoring.score_records(card, [best])
    assert r["reasons"] == []
    assert r["score"] == pytest.approx(card["score_range"]["max"])


def test_validation_errors_per_field(card):
    sch = card["schema"]["x_strong"]
    errors = scoring.validate_record(card, {"x_strong": "abc", "grade": "Z", "income": 5000})
    assert errors == {"x_strong": "not a number: 'abc'", "grade": errors["grade"]}
    assert errors["grade"].startswith("unseen category 'Z'")
    errors = scoring.validate_record(card, {"grade": "A", "income": None})
    assert errors == {"x_strong": "required field is missing"}
    errors = scoring.validate_record(card, {"x_strong": sch["accepted_max"] + 1, "grade": None, "income": float("nan")})
    assert "outside the accepted range" in errors["x_strong"]
    assert "required" in errors["grade"]
    assert "income" not in errors  # missing is allowed: training had missing incomes
    assert scoring.validate_record(card, {"x_strong": True, "grade": "A"})["x_strong"].startswith("not a number")
    assert scoring.validate_record(card, {"x_strong": "1.5", "grade": "A"}) == {}  # numeric strings are numbers
    assert scoring.validate_record(card, {"x_strong": float("inf"), "grade": "A"})["x_strong"].startswith("not a finite")
    assert scoring.validate_record(card, [1, 2]) == {"__all__": "a record must be an object of field: value"}
    # At the widened edge it is still accepted (and falls in the outer bin).
    assert scoring.validate_record(card, {"x_strong": sch["accepted_max"], "grade": "A"}) == {}


def test_score_records_raises_without_partial_results(card):
    good = {"x_strong": 0.1, "grade": "B", "income": 3000}
    with pytest.raises(errors.ScoringError) as exc:
        scoring.score_records(card, [good, {"x_strong": "x", "grade": "B"}, good, {"grade": "Q", "x_strong": 0}])
    assert set(exc.value.errors) == {1, 3}
    assert exc.value.errors[1] == {"x_strong": "not a number: 'x'"}
    assert "grade" in exc.value.errors[3]
    assert "2 invalid record(s)" in str(exc.value)


def test_score_frame_strict_and_neutral(card, table):
    df = table.head(5).copy()
    df.loc[df.index[1], "grade"] = "Z"
    with pytest.raises(errors.ScoringError) as exc:
        scoring.score_frame(card, df)
    assert list(exc.value.errors) == [1]
    out = scoring.score_frame(card, df, on_invalid="neutral")
    assert out["n_neutral"].tolist() == [0, 1, 0, 0, 0]
    neutral = points.bin_points(0.0, card["model"]["coefficients"]["grade"], card["model"]["intercept"], 3, card["scaling"]["factor"], card["scaling"]["offset"])
    assert out["points_grade"].iloc[1] == pytest.approx(float(neutral))


def test_determinism_two_runs_identical_json(table):
    opts = {"monotonic_trend": "auto_asc_desc"}
    a = artifact.scorecard_to_json(build.build_scorecard(table, "bad", opts))
    b = artifact.scorecard_to_json(build.build_scorecard(table.copy(), "bad", dict(opts)))
    assert a == b
    sc = artifact.scorecard_from_json(a)
    rec = table.drop(columns="bad").iloc[3].to_dict()
    assert scoring.score_records(sc, [rec]) == scoring.score_records(build.build_scorecard(table, "bad", opts), [rec])
    assert "Infinity" not in a and "NaN" not in a


@pytest.mark.parametrize("trend", ["ascending", "descending"])
def test_monotonic_trend_option(table, trend):
    # x_strong raises the bad rate: "ascending" keeps several bins with rising bad rates,
    # "descending" may only merge them (down to one bin).
    opts = {"monotonic_trend": trend, "min_iv": 0.0, "enforce_sign": False}
    sc = build.build_scorecard(table[["x_strong", "grade", "bad"]], "bad", opts)
    v = next(v for v in sc["variables"] if v["name"] == "x_strong")
    rates = [b["bad_rate"] for b in v["bins"]]
    assert rates == sorted(rates, reverse=trend == "descending")
    if trend == "ascending":
        assert len(rates) > 2
    assert v["monotonic_trend"] == trend and sc["options"]["monotonic_trend"] == trend


def test_bad_inputs(table):
    with pytest.raises(errors.ScorecardError, match="monotonic_trend"):
        build.build_scorecard(table, "bad", {"monotonic_trend": "up"})
    with pytest.raises(errors.ScorecardError, match="unknown option"):
        build.build_scorecard(table, "bad", {"min_IV": 0.1})
    with pytest.raises(errors.ScorecardError, match="binary"):
        build.build_scorecard(table.assign(bad=table["bad"] * 2), "bad")
    with pytest.raises(errors.ScorecardError, match="not in the table"):
        build.build_scorecard(table, "target")
    with pytest.raises(errors.ScorecardError, match="no variable passed"):
        build.build_scorecard(table[["noise", "bad"]], "bad")
    with pytest.raises(errors.ScorecardError):
        artifact.scorecard_from_json('{"format": "other"}')


# ----------------------------------------------------------------------------- metrics


def test_ks_auc_by_hand():
    # scores (higher = better) and y (1 = bad):
    #   score: 1  2  3  4  5  6
    #   y:     1  1  0  0  1  0
    # cut "score <= t": t=1 -> bads 1/3 vs goods 0 -> 0.333; t=2 -> 2/3 vs 0 -> 0.667 (the max);
    #   t=3 -> 2/3 - 1/3; t=4 -> 2/3 - 2/3 = 0; t=5 -> 1 - 2/3 = 0.333
    # AUC = P(a bad scores below a good): (bad, good) pairs with bad < good:
    #   bad@1: 3, bad@2: 3, bad@5: 1 (good@6) -> 7 of 9
    y = [1, 1, 0, 0, 1, 0]
    s = [1, 2, 3, 4, 5, 6]
    k = M.ks(y, s)
    assert k["ks"] == pytest.approx(2 / 3) and k["threshold"] == 2
    assert M.auc(y, s) == pytest.approx(7 / 9)
    assert M.gini(y, s) == pytest.approx(2 * 7 / 9 - 1)
    # The same with a risk score (higher = riskier).
    assert M.auc(y, [-v for v in s], higher_is_better=False) == pytest.approx(7 / 9)
    assert M.ks(y, [-v for v in s], higher_is_better=False)["ks"] == pytest.approx(2 / 3)


def test_curves_are_downsampled_and_histogram_counts():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 5000)
    s = rng.normal(0, 1, 5000) - y
    roc = M.roc_points(y, s)
    ksc = M.ks_points(y, s)
    assert 2 < len(roc) <= 200 and 2 < len(ksc) <= 200
    assert roc[0]["fpr"] == 0 and roc[-1]["tpr"] == 1
    assert max(p["diff"] for p in ksc) == pytest.approx(M.ks(y, s)["ks"])
    hist = M.score_histogram(y, s, n_bins=10)
    assert len(hist) == 10
    assert sum(h["good"] for h in hist) == (y == 0).sum() and sum(h["bad"] for h in hist) == (y == 1).sum()


def test_psi_by_hand():
    # Training scores 0..99: decile edges 9.9, 19.8, ... -> 10 bands of 10%.
    # Monitoring: 40 scores in the lowest band, 10 in the highest, 50 in band 5 ->
    # proportions a = [0.4, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.1], e = 0.1 each; empty bands use 1e-4.
    # PSI = (0.4-0.1) ln 4 + (0.5-0.1) ln 5 + (0.1-0.1) ln 1 + 7 * (1e-4 - 0.1) ln(1e-4/0.1)
    #     = 0.4158883 + 0.6437752 + 0 + 7 * 0.0999 * 6.9077553 = 5.8902926
    train = np.arange(100, dtype=float)
    mon = np.r_[np.zeros(40), np.full(50, 45.0), np.full(10, 99.0)]
    p = M.psi(train, mon)
    assert p["psi"] == pytest.approx(0.4158883083 + 0.6437751650 + 7 * 0.0999 * math.log(1000), abs=1e-6)
    assert M.psi(train, train)["psi"] == pytest.approx(0.0)
    assert M.psi(M.score_bands(train), mon)["psi"] == pytest.approx(p["psi"])


def test_rf_importance_and_cv_on_the_small_table(table):
    rank = M.rf_importance(table, "bad", n_estimators=50)
    assert [r["rank"] for r in rank] == [1, 2, 3, 4, 5]
    assert rank[0]["name"] in ("x_strong", "x_dup")
    assert rank == M.rf_importance(table, "bad", n_estimators=50)
    cv = V.cross_validate_scorecard(table, "bad", n_splits=3, seed=1)
    assert len(cv["folds"]) == 3 and cv["mean_auc"] > 0.7
    assert cv == V.cross_validate_scorecard(table, "bad", n_splits=3, seed=1)


def test_lib_has_no_django_imports():
    lib = Path(M.__file__).parent
    for path in lib.rglob("*.py"):
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path
