"""Pure logic of the finance vertical (no Django imports).

- ``scorecard``: credit scorecards, a package by seam: ``binning`` (optimal binning,
  WOE/IV), ``build`` (selection, logistic regression, points), ``scoring`` (per-field
  validation, reason codes), ``artifact`` (the deterministic JSON).
- ``metrics``: AUC, KS, Gini, ROC/KS curves, score histograms, PSI, random-forest
  importance for comparison.
- ``validation``: k-fold cross-validation and holdout evaluation of the scorecard pipeline.
- ``datasets``: real credit data loaded offline from installed packages, and a
  seeded synthetic credit table for benchmarks.
- ``fraud``: anti-fraud model on evalml's bundled transactions file, exported
  to JSON and scored with pure numpy; precision/recall at an alert rate.

The protocol and the measured figures are in docs/finance-protocol.md.
"""
