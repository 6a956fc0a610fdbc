"""Credit scorecards: optimal binning, WOE/IV, selection, logistic regression, points.

The package is split at its seams: ``binning`` (one variable, WOE/IV), ``build`` (options,
selection, regression: ``build_scorecard``), ``points`` (scaling), ``scoring`` (validation,
``score_records``, ``score_frame``), ``artifact`` (canonical JSON) and ``errors``.

Pure logic, no Django. The artifact is a plain JSON-able dict (never a pickle) and
``scorecard_to_json`` turns it into canonical bytes: the same training table with
the same options gives byte-identical JSON.

Conventions (also in docs/finance-protocol.md)
-----------------------------------------------
Target: 1 = bad (default), 0 = good.  Per bin i of a variable, with G and B the
total goods and bads of the training table::

    WOE_i = ln( (good_i / G) / (bad_i / B) )          (> 0: safer than average)
    IV    = sum_i (good_i / G - bad_i / B) * WOE_i     (always >= 0)

Smoothing: when a bin has no goods or no bads, 0.5 is added to *both* of its counts
(Haldane-Anscombe correction) before its WOE is taken; G and B are not changed, and the
IV weight (good_i/G - bad_i/B) uses the raw counts.  Bins that had no training record
at all (optbinning's empty Special/Missing rows) are left out of the scorecard.

Model: logistic regression of bad=1 on the WOE features,
``ln(p_bad / p_good) = b0 + sum_j b_j * WOE_j``.  Because a higher WOE means a safer
bin, a sensible coefficient b_j is negative (a single exact-WOE variable gives
b_j = -1 and b0 = ln(B/G)); with ``enforce_sign`` a variable whose coefficient comes
out positive is dropped and the model refitted.

Scaling: the score grows with creditworthiness, i.e. with the log odds good:bad::

    factor = pdo / ln 2
    offset = base_score - factor * ln(base_odds)
    score  = offset + factor * ln(p_good / p_bad)
           = offset - factor * (b0 + sum_j b_j * WOE_j)
           = sum_j [ -(b_j * WOE_ij + b0 / n) * factor + offset / n ]

so each of the n selected variables contributes, for its bin i, the points
``-(b_j * WOE_ij + b0 / n) * factor + offset / n``.  At odds good:bad = base_odds
the score is base_score, and doubling the odds adds pdo points.

Field schema for scoring: a numerical field accepts [min - w*span, max + w*span], where
[min, max] is the observed training range, span = max - min and w = ``range_widen``
(0.5 by default; if span is 0, span is taken as max(|min|, 1)).  A categorical field
accepts the categories seen in training (compared as strings).  A missing value (the key
absent, None or NaN) is accepted only if the training data had missing values for that
variable; it then falls into the variable's Missing bin.
"""
