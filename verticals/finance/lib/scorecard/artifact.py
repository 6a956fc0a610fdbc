"""The scorecard artifact: a plain JSON-able dict, written as canonical bytes (sorted keys,
floats to 10 significant digits) so the same training gives byte-identical JSON."""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .errors import ScorecardError

FORMAT = "zhongtai.finance.scorecard/1"
SIG_DIGITS = 10


def round_sig(x: float, digits: int = SIG_DIGITS) -> float:
    """Round to ``digits`` significant digits (deterministic, via the repr of '%.*g')."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {x}")
    r = float(f"{x:.{digits}g}")
    return 0.0 if r == 0 else r  # no negative zero in the JSON


def canonical(obj: Any, digits: int = SIG_DIGITS) -> Any:
    """A JSON-able copy with floats rounded to ``digits`` significant digits."""
    if isinstance(obj, Mapping):
        return {str(k): canonical(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [canonical(v, digits) for v in obj]
    if isinstance(obj, np.ndarray):
        return [canonical(v, digits) for v in obj.tolist()]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        return round_sig(obj, digits)
    if obj is None or isinstance(obj, str):
        return obj
    raise TypeError(f"not JSON-able: {type(obj).__name__}")


def scorecard_to_json(scorecard: Mapping) -> str:
    """Canonical JSON text: sorted keys, compact separators, floats to 10 significant digits."""
    return json.dumps(canonical(scorecard), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def scorecard_from_json(text: str | bytes) -> dict:
    sc = json.loads(text)
    if not isinstance(sc, dict) or sc.get("format") != FORMAT:
        raise ScorecardError(f"not a scorecard (expected format {FORMAT!r})")
    return sc
