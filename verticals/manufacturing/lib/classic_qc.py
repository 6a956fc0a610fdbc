"""Classic threshold inspection of backlit film: the rule-based check separator lines ran
before a learned detector, kept as the baseline the detector must beat on over-kill.

Flat-field the image (subtract a wide blur, which removes illumination drift and vignetting),
express what is left in robust noise units (median absolute deviation of the film's own
grain), and call a part defective when a connected blob of at least `min_area` pixels stands
out by more than k units. Its weakness is the one the detector is meant to fix: any contrast
counts, so dust shadows, lint and in-spec coating clusters are rejected like real defects.

Pure numpy + OpenCV."""
import numpy as np

from core.inference.backends.opencv import masks, transforms

from .verdict import MAX_GUARD_LEVEL as MAX_K

SMOOTH_SIGMA = 0.8  # px: suppresses single-pixel sensor noise, keeps 2 px defects
BACKGROUND_SIGMA = 6.0  # px: wider than the small defects, narrower than illumination drift
MIN_AREA = 3  # px


def deviation_map(image_bgr, *, smooth_sigma=SMOOTH_SIGMA, background_sigma=BACKGROUND_SIGMA):
    """|flat-fielded image| in units of the film's robust noise (float32, same height/width)."""
    if image_bgr is None or image_bgr.ndim not in (2, 3) or min(image_bgr.shape[:2]) < 8:
        raise ValueError("expected an image of at least 8x8 pixels")
    grey = image_bgr if image_bgr.ndim == 2 else transforms.bgr_to_grey(image_bgr)
    grey = grey.astype(np.float32)
    residual = transforms.gaussian_blur(grey, smooth_sigma) - transforms.gaussian_blur(grey, background_sigma)
    mad = 1.4826 * float(np.median(np.abs(residual - np.median(residual))))
    return np.abs(residual) / max(mad, 1e-3)


def _has_blob(z, k, min_area):
    n, _, stats = masks.connected_components(z > k)
    return n > 1 and int(stats[1:, masks.AREA].max()) >= min_area


def part_score(image_bgr, *, min_area=MIN_AREA, **kwargs) -> float:
    """The largest k at which the part is still rejected (0 if no blob of min_area exists at
    any level). Rejection is monotone in k (lowering k only grows blobs), so bisection finds
    it to within 0.01."""
    z = deviation_map(image_bgr, **kwargs)
    if not _has_blob(z, 0.0, min_area):
        return 0.0
    lo, hi = 0.0, min(float(z.max()), MAX_K)
    if _has_blob(z, hi, min_area):
        return hi
    while hi - lo > 0.01:
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _has_blob(z, mid, min_area) else (lo, mid)
    return round(lo, 2)


def anomalies(image_bgr, k, *, min_area=MIN_AREA, **kwargs):
    """The blobs rejected at level k: [{"box": [x1, y1, x2, y2], "area": px, "peak": units}]."""
    z = deviation_map(image_bgr, **kwargs)
    n, labels, stats = masks.connected_components(z > k)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if area >= min_area:
            out.append({"box": [x, y, x + w, y + h], "area": area, "peak": round(float(z[labels == i].max()), 2)})
    return out


class ClassicInspection:
    """The baseline as core.detection's evaluation takes it."""

    name = "classic flat-field threshold"

    def __init__(self, min_area=MIN_AREA):
        self.min_area = min_area

    def score(self, image_bgr) -> float:
        return part_score(image_bgr, min_area=self.min_area)
