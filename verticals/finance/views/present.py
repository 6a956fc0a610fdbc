"""What the finance pages show, shaped from the queries' dicts: KPI tiles with their
traffic lights, chart payloads for static/finance/finance.js, the scorecard's variables
beside the random-forest ranking, the score form's fields, reason codes, anti-fraud
alert rows. No database access here."""
import math
from bisect import bisect_right

from django.utils.translation import gettext as _

DASH = "—"
# Population stability: below 0.1 stable, 0.1-0.25 watch, above 0.25 shifted.
PSI_WATCH, PSI_SHIFTED = 0.1, 0.25
# Information value strength (Siddiqi's reading).
IV_BANDS = ((0.02, "useless"), (0.1, "weak"), (0.3, "medium"), (0.5, "strong"))


def _finite(value):
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def num(value, digits=3):
    x = _finite(value)
    return DASH if x is None else f"{x:.{digits}f}"


def pct(value, digits=1):
    x = _finite(value)
    return DASH if x is None else f"{x * 100:.{digits}f}%"


def level_high_good(value, warn, bad):
    """'' (fine or unknown), 'warn' or 'bad' for a metric where higher is better."""
    x = _finite(value)
    if x is None:
        return ""
    return "bad" if x < bad else "warn" if x < warn else "ok"


def level_low_good(value, warn, bad):
    x = _finite(value)
    if x is None:
        return ""
    return "bad" if x >= bad else "warn" if x >= warn else "ok"


def psi_level(value):
    return level_low_good(value, PSI_WATCH, PSI_SHIFTED)


def psi_reading(value):
    x = _finite(value)
    if x is None:
        return ""
    if x >= PSI_SHIFTED:
        return _("shifted")
    return _("watch") if x >= PSI_WATCH else _("stable")


def latest_psi(trend):
    """The newest day of the served-score PSI trend that had enough scores."""
    for row in reversed(trend or []):
        if row.get("psi") is not None:
            return row
    return None


def kpis(ev, trend=None):
    """The tiles above a deployment's charts."""
    gap = None
    if _finite(ev.get("train_auc")) is not None and _finite(ev.get("auc")) is not None:
        gap = float(ev["train_auc"]) - float(ev["auc"])
    live = latest_psi(trend)
    return [
        {"key": "auc", "label": _("AUC"), "value": num(ev.get("auc")),
         "level": level_high_good(ev.get("auc"), 0.7, 0.65), "sub": _("holdout sample"),
         "title": _("Area under the ROC curve on the held-out sample")},
        {"key": "ks", "label": _("KS"), "value": num(ev.get("ks")),
         "level": level_high_good(ev.get("ks"), 0.3, 0.2),
         "sub": _("at score %(t)s") % {"t": num((ev.get("charts") or {}).get("ks_threshold"), 0)},
         "title": _("Kolmogorov-Smirnov: the largest gap between the cumulative bad and good shares")},
        {"key": "gini", "label": _("Gini"), "value": num(ev.get("gini")),
         "level": level_high_good(ev.get("gini"), 0.4, 0.3), "sub": _("2 × AUC − 1"),
         "title": _("Accuracy ratio of the holdout ranking")},
        {"key": "psi", "label": _("Holdout PSI"), "value": num(ev.get("psi"), 4),
         "level": psi_level(ev.get("psi")), "sub": psi_reading(ev.get("psi")) or DASH,
         "title": _("Population stability of holdout scores against the training score deciles")},
        {"key": "cv_auc", "label": _("CV AUC"), "value": num(ev.get("cv_mean_auc")),
         "level": level_high_good(ev.get("cv_mean_auc"), 0.7, 0.65),
         "sub": (_("KS %(ks)s, k-fold mean") % {"ks": num(ev.get("cv_mean_ks"))}) if ev.get("cv_mean_auc") is not None
         else _("not run for this version"),
         "title": _("Mean AUC of the whole pipeline refitted on each cross-validation fold")},
        {"key": "train_gap", "label": _("Train − holdout AUC"), "value": num(gap),
         "level": level_low_good(gap, 0.05, 0.1) if gap is not None else "",
         "sub": _("train AUC %(auc)s") % {"auc": num(ev.get("train_auc"))},
         "title": _("A large gap means the scorecard is over-fitted to its training sample")},
        {"key": "live_psi", "label": _("Served PSI, latest day"), "value": num(live["psi"], 4) if live else DASH,
         "level": psi_level(live["psi"]) if live else "",
         "sub": (_("%(day)s · %(n)s scores") % {"day": live["day"], "n": live["n"]}) if live
         else _("no day with 20+ scores yet"),
         "title": _("Stability of the scores this deployment served against the training score deciles")},
    ]


def _band_label(lower, upper, digits=0):
    if lower is None:
        return f"< {upper:.{digits}f}"
    if upper is None:
        return f"≥ {lower:.{digits}f}"
    return f"{lower:.{digits}f}–{upper:.{digits}f}"


def histogram_chart(bins, ks_threshold=None):
    """Good and bad shares per score bin, the bad rate per bin, and the bin holding the KS cut-off."""
    bins = bins or []
    goods = sum(b["good"] for b in bins) or 1
    bads = sum(b["bad"] for b in bins) or 1
    ks_index = None
    t = _finite(ks_threshold)
    if t is not None:
        for i, b in enumerate(bins):
            if b["lower"] <= t <= b["upper"]:
                ks_index = i
                break
    return {
        "labels": [f"{b['lower']:.0f}" for b in bins],
        "ranges": [f"{b['lower']:.1f} – {b['upper']:.1f}" for b in bins],
        "good": [round(b["good"] / goods * 100, 2) for b in bins],
        "bad": [round(b["bad"] / bads * 100, 2) for b in bins],
        "good_n": [b["good"] for b in bins],
        "bad_n": [b["bad"] for b in bins],
        "bad_rate": [round(b["bad"] / (b["good"] + b["bad"]) * 100, 1) if b["good"] + b["bad"] else None
                     for b in bins],
        "ks_index": ks_index,
    }


def roc_chart(points, auc=None):
    return {"points": [[round(p["fpr"], 5), round(p["tpr"], 5)] for p in points or []], "auc": num(auc)}


def ks_chart(points, ks=None, threshold=None):
    points = points or []
    at = max(points, key=lambda p: p["diff"]) if points else None
    return {
        "bad": [[round(p["score"], 3), round(p["cum_bad"] * 100, 3)] for p in points],
        "good": [[round(p["score"], 3), round(p["cum_good"] * 100, 3)] for p in points],
        "ks": num(ks if ks is not None else (at or {}).get("diff")),
        "at": {"score": round(at["score"], 3), "bad": round(at["cum_bad"] * 100, 3),
               "good": round(at["cum_good"] * 100, 3)} if at else None,
        "threshold": num(threshold if threshold is not None else (at or {}).get("score"), 1),
    }


def psi_chart(trend):
    return {
        "days": [r["day"] for r in trend or []],
        "psi": [None if r["psi"] is None else round(r["psi"], 5) for r in trend or []],
        "n": [r["n"] for r in trend or []],
        "watch": PSI_WATCH,
        "shifted": PSI_SHIFTED,
    }


def psi_bands_chart(bands):
    bands = bands or []
    return {
        "labels": [_band_label(b["lower"], b["upper"]) for b in bands],
        "expected": [round(b["expected"] * 100, 2) for b in bands],
        "actual": [round(b["actual"] * 100, 2) for b in bands],
    }


def importance_chart(ranking, selected_names):
    ranking = ranking or []
    selected = set(selected_names or [])
    return {
        "names": [r["name"] for r in ranking],
        "values": [round(r["importance"], 5) for r in ranking],
        "selected": [r["name"] in selected for r in ranking],
    }


def chart_text():
    return {
        "good": _("Goods"), "bad": _("Bads"), "bad_rate": _("Bad rate"), "share": _("Share of class"),
        "score": _("Score"), "fpr": _("False positive rate (goods declined)"),
        "tpr": _("True positive rate (bads caught)"), "random": _("Random"), "roc": _("ROC"),
        "cum_bad": _("Cumulative bads"), "cum_good": _("Cumulative goods"), "ks": _("KS"),
        "psi": _("PSI"), "scores": _("Scores served"), "watch": _("0.10 watch"), "shifted": _("0.25 shifted"),
        "no_psi": _("No scores served yet: the daily PSI appears once a day has 20 or more scores"),
        "no_data": _("No data"), "importance": _("RF importance"), "in_scorecard": _("In the scorecard"),
        "not_in_scorecard": _("Not selected"), "expected": _("Training"), "actual": _("Holdout"),
        "ks_at": _("KS cut-off"),
    }


def charts(ev, trend, selected_names):
    c = ev.get("charts") or {}
    return {
        "hist": histogram_chart(c.get("histogram"), c.get("ks_threshold")),
        "roc": roc_chart(c.get("roc"), ev.get("auc")),
        "ks": ks_chart(c.get("ks_curve"), ev.get("ks"), c.get("ks_threshold")),
        "psi": psi_chart(trend),
        "bands": psi_bands_chart(c.get("psi_bands")),
        "importance": importance_chart(c.get("rf_importance"), selected_names),
        "text": chart_text(),
    }


# --- the scorecard itself ---------------------------------------------------------------

def iv_strength(iv):
    x = _finite(iv)
    if x is None:
        return ""
    labels = {"useless": _("not predictive"), "weak": _("weak"), "medium": _("medium"), "strong": _("strong"),
              "suspicious": _("suspiciously strong")}
    for upper, key in IV_BANDS:
        if x < upper:
            return labels[key]
    return labels["suspicious"]


def scorecard_variables(scorecard, ranking=None):
    """The selected variables, highest IV first, with their RF rank for comparison."""
    if not scorecard:
        return []
    ranks = {r["name"]: r["rank"] for r in ranking or []}
    rows = []
    for v in scorecard.get("variables", []):
        rows.append({
            "name": v["name"], "label": field_label(v["name"]), "type": v.get("type", ""),
            "iv": v.get("iv"), "iv_text": num(v.get("iv"), 3), "strength": iv_strength(v.get("iv")),
            "bins": len(v.get("bins", [])), "coefficient": num(v.get("coefficient"), 3),
            "points_min": num(v.get("points_min"), 1), "points_max": num(v.get("points_max"), 1),
            "rf_rank": ranks.get(v["name"]),
        })
    rows.sort(key=lambda r: (-(_finite(r["iv"]) or 0), r["name"]))
    return rows


def selected_names(scorecard):
    return [v["name"] for v in (scorecard or {}).get("variables", [])]


def field_label(name):
    """A column name as a label: 'credit_amount' -> 'Credit amount' (data, not translated)."""
    text = str(name).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def score_fields(scorecard, values=None, errors=None):
    """The score form: one field per selected variable, in the scorecard's order."""
    values, errors = values or {}, errors or {}
    fields = []
    for v in (scorecard or {}).get("variables", []):
        name = v["name"]
        schema = scorecard["schema"].get(name, {})
        field = {"name": name, "label": field_label(name), "type": schema.get("type", v.get("type")),
                 "missing_allowed": bool(schema.get("missing_allowed")), "value": values.get(name, ""),
                 "errors": errors.get(name, [])}
        if field["type"] == "numerical":
            lo, hi = schema.get("observed_min"), schema.get("observed_max")
            field.update(min=schema.get("accepted_min"), max=schema.get("accepted_max"),
                         hint=_("seen in training: %(lo)s to %(hi)s") % {"lo": f"{lo:g}", "hi": f"{hi:g}"}
                         if lo is not None and hi is not None else "",
                         integer=all(float(x).is_integer() for x in (lo, hi) if x is not None))
        else:
            field["choices"] = list(schema.get("categories", []))
        fields.append(field)
    return fields


def record_from(post, scorecard):
    """The applicant record from the form: numbers as numbers, blanks left out (missing)."""
    record = {}
    for v in (scorecard or {}).get("variables", []):
        name = v["name"]
        raw = (post.get(name) or "").strip()
        if raw == "":
            continue
        if scorecard["schema"].get(name, {}).get("type") == "numerical":
            try:
                x = float(raw)
                record[name] = int(x) if x.is_integer() and "." not in raw and "e" not in raw.lower() else x
            except ValueError:
                record[name] = raw  # the scorecard's validation names the field
        else:
            record[name] = raw
    return record


def score_band(scorecard, score):
    """Which training decile of scores the applicant falls in (1 = riskiest tenth)."""
    bands = ((scorecard or {}).get("training") or {}).get("score_bands") or {}
    edges = bands.get("edges")
    if not edges or _finite(score) is None:
        return None
    return {"band": bisect_right(edges, float(score)) + 1, "of": len(edges) + 1}


def score_result(body, scorecard):
    """The scoring answer laid out: reason codes first, then every variable's points."""
    best = {v["name"]: v.get("points_max") for v in (scorecard or {}).get("variables", [])}
    reasons = [{"code": f"R{i}", "variable": r["variable"], "label": field_label(r["variable"]), "bin": r["bin"],
                "points": num(r["points"], 1), "lost": num(r["points_lost"], 1)}
               for i, r in enumerate(body.get("reasons", []), start=1)]
    reason_vars = {r["variable"] for r in reasons}
    rows = []
    for name, points in (body.get("points") or {}).items():
        lost = (_finite(best.get(name)) or 0) - (_finite(points) or 0)
        rows.append({"name": name, "label": field_label(name), "bin": (body.get("bins") or {}).get(name, ""),
                     "points": num(points, 1), "best": num(best.get(name), 1), "lost": num(max(lost, 0), 1),
                     "is_reason": name in reason_vars, "lost_value": lost})
    rows.sort(key=lambda r: (-r["lost_value"], r["name"]))
    rng = (scorecard or {}).get("score_range") or {}
    pos = None
    if _finite(rng.get("min")) is not None and _finite(rng.get("max")) is not None and rng["max"] > rng["min"]:
        pos = max(0.0, min(100.0, (float(body["score"]) - rng["min"]) / (rng["max"] - rng["min"]) * 100))
    return {
        "score": num(body.get("score"), 1), "pd": pct(body.get("pd"), 2),
        "pd_level": level_low_good(body.get("pd"), 0.1, 0.3), "reasons": reasons, "rows": rows,
        "band": score_band(scorecard, body.get("score")),
        "range_min": num(rng.get("min"), 0), "range_max": num(rng.get("max"), 0), "position": pos,
        "prediction_id": body.get("prediction_id"), "model_version": body.get("model_version") or {},
        "latency_ms": body.get("latency_ms"),
    }


# --- anti-fraud -------------------------------------------------------------------------

def _alert_rows_from_list(items):
    rows = []
    for a in items:
        if not isinstance(a, dict) or _finite(a.get("alert_rate")) is None:
            continue
        rows.append({"rate": float(a["alert_rate"]), "precision": a.get("precision"), "recall": a.get("recall"),
                     "n_alerts": a.get("n_alerts"), "true_alerts": a.get("true_alerts"),
                     "lift": a.get("precision_lift"), "random_precision": a.get("random_precision")})
    return rows


def _alert_rows_from_flat(metrics):
    """Flat metrics such as precision_at_0.01 / recall_at_0.01 (or @1%)."""
    found = {}
    for key, value in metrics.items():
        for kind in ("precision", "recall"):
            for sep in ("_at_", "@"):
                prefix = kind + sep
                if isinstance(key, str) and key.startswith(prefix) and _finite(value) is not None:
                    raw = key[len(prefix):].replace("pct", "%")
                    rate = _finite(raw.rstrip("%"))
                    if rate is None:
                        continue
                    rate = rate / 100 if raw.endswith("%") or rate > 1 else rate
                    found.setdefault(rate, {"rate": rate})[kind] = value
    return [found[r] for r in sorted(found)]


def alert_rows(metrics):
    """Precision and recall at each alert rate, from a fraud version's metrics, whichever
    shape the trainer stored: a list under 'alerts' (or 'alert_metrics', or inside
    'evaluation'), or flat precision_at_<rate> / recall_at_<rate> keys."""
    metrics = metrics or {}
    for source in (metrics, metrics.get("evaluation") or {}, metrics.get("holdout") or {}):
        if not isinstance(source, dict):
            continue
        for key in ("alerts", "alert_metrics", "at_alert_rates"):
            if isinstance(source.get(key), list):
                rows = _alert_rows_from_list(source[key])
                if rows:
                    return _format_alert_rows(rows)
    return _format_alert_rows(_alert_rows_from_flat(metrics))


def _format_alert_rows(rows):
    for r in rows:
        r.update(rate_text=pct(r["rate"], 1 if r["rate"] * 100 % 1 else 0), precision_text=pct(r.get("precision")),
                 recall_text=pct(r.get("recall")),
                 lift_text=(num(r.get("lift"), 1) + "×") if _finite(r.get("lift")) is not None else DASH,
                 recall_width=max(0, min(100, round((_finite(r.get("recall")) or 0) * 100))),
                 precision_width=max(0, min(100, round((_finite(r.get("precision")) or 0) * 100))))
    return rows


def fraud_summary(metrics):
    metrics = metrics or {}
    ev = metrics.get("evaluation") if isinstance(metrics.get("evaluation"), dict) else {}

    def pick(*keys):
        return next((src[k] for k in keys for src in (metrics, ev) if _finite(src.get(k)) is not None), None)

    return {
        "pr_auc": num(pick("pr_auc", "average_precision")),
        "roc_auc": num(pick("roc_auc", "auc")),
        "fraud_rate": pct(pick("test_fraud_rate", "fraud_rate")),
        "n_test": pick("n_test"),
        "alerts": alert_rows(metrics),
    }
