"""Pure logic of the finance vertical (no Django imports).

- ``scorecard``: credit scorecards (optimal binning, WOE/IV, variable selection,
  logistic regression, points scaling), a deterministic JSON artifact, scoring
  with per-field validation and reason codes.
- ``metrics``: AUC, KS, Gini, ROC/KS curves, score histograms, PSI, random-forest
  importance for comparison, k-fold cross-validation of the scorecard pipeline.
- ``datasets``: real credit data loaded offline from installed packages, and a
  seeded synthetic credit table for benchmarks.
- ``fraud``: anti-fraud model on evalml's bundled transactions file, exported
  to JSON and scored with pure numpy; precision/recall at an alert rate.

The protocol and the measured figures are in docs/finance-protocol.md.
"""
