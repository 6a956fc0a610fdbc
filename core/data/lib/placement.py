"""Placing objects in a synthetic image (verticals.*.lib.synth): the tight box of what was
drawn, and whether a box keeps clear of those already placed. Pure: no Django."""
from __future__ import annotations

import numpy as np


def mask_box(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """(x, y, w, h) of the True pixels of a 2-D mask, or None when there are none."""
    ys, xs = np.nonzero(mask)
    if len(xs) == 0:
        return None
    return int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)


def overlaps(box, boxes, gap: int) -> bool:
    """Whether `box` comes within `gap` px of any of `boxes` (all (x, y, w, h))."""
    x, y, w, h = box
    return any(x < bx + bw + gap and bx < x + w + gap and y < by + bh + gap and by < y + h + gap
               for bx, by, bw, bh in boxes)
