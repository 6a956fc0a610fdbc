"""From log odds to points: the scaling (pdo, base odds) and each bin's share of the score."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .errors import ScorecardError


def scaling_parameters(base_score: float = 600.0, base_odds: float = 50.0, pdo: float = 20.0) -> dict[str, float]:
    """factor = pdo / ln 2, offset = base_score - factor * ln(base_odds)."""
    if pdo <= 0 or base_odds <= 0:
        raise ScorecardError("pdo and base_odds must be positive")
    factor = pdo / math.log(2)
    offset = base_score - factor * math.log(base_odds)
    return {"base_score": float(base_score), "base_odds": float(base_odds), "pdo": float(pdo), "factor": factor, "offset": offset}


def bin_points(woe: Any, coefficient: float, intercept: float, n_variables: int, factor: float, offset: float) -> np.ndarray:
    """Points of each bin: -(b_j * WOE_ij + b0/n) * factor + offset/n (see the module docstring)."""
    woe = np.asarray(woe, dtype=float)
    return -(coefficient * woe + intercept / n_variables) * factor + offset / n_variables


def sigmoid(z: Any) -> Any:
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z))))
