"""A classical moving-object detector for fixed cameras. Pure: OpenCV + numpy, no Django.

No pretrained person detector can be fetched on an air-gapped site, and the real footage
(vtest.avi, bikes.mp4) comes from fixed cameras, so moving things are found by background
subtraction: OpenCV's MOG2 model of the background (shadows marked and dropped), an
opening against noise, a closing to join a body's parts, and one box per remaining
contour. A box's score is the share of its pixels that are foreground (a walking person
fills about 0.55-0.7 of its box, so a fill of `full_fill` counts as certain), scaled down
for boxes just over the minimum area: a solid walking person scores well above 0.5, a
flickering fragment or a thin strip of noise well below.

The class is a heuristic on the shape, not recognition: a box at least `person_aspect`
times as tall as it is wide is a "person", anything else a "vehicle". It serves rules
that count or watch moving objects; it cannot tell a car from a bus, nor a person from a
pole that moved. The trained vehicle detector (model type city.vehicle_detector) is the
one to use where classes matter.

The background is state: one MotionDetector per stream. The first `warmup_frames` frames
only teach it the background and return no box."""
from dataclasses import asdict, dataclass, fields

import numpy as np

from core.inference.backends.opencv import masks, video

LABELS = ["person", "vehicle"]


class MotionParamsError(ValueError):
    pass


@dataclass(frozen=True)
class MotionParams:
    history: int = 120  # frames the background model remembers
    var_threshold: float = 24.0  # squared Mahalanobis distance for "foreground"
    detect_shadows: bool = True  # shadows are marked (127) and then dropped
    # Share of a pixel's history its background modes must explain. OpenCV's 0.9 lets the
    # modes of an object passing slowly over a still-young model count as background.
    background_ratio: float = 0.8
    learning_rate: float = -1.0  # -1: OpenCV's automatic rate (1 / frames seen, then 1 / history)
    warmup_frames: int = 8
    open_px: int = 3  # opening kernel (noise)
    close_px: int = 9  # closing kernel (joins a body's parts)
    min_area: float = 0.0012  # of the frame's area: smaller blobs are noise
    max_area: float = 0.35  # of the frame's area: larger ones are a lighting change, not an object
    person_aspect: float = 1.1  # height / width at or above which a box is a person
    min_score: float = 0.15
    full_fill: float = 0.7  # foreground share of a box that counts as a certain detection

    def __post_init__(self):
        checks = [
            ("history", 2 <= self.history <= 10000), ("var_threshold", 1 <= self.var_threshold <= 1000),
            ("background_ratio", 0.05 <= self.background_ratio <= 1),
            ("learning_rate", self.learning_rate == -1.0 or 0 <= self.learning_rate <= 1),
            ("warmup_frames", 0 <= self.warmup_frames <= 1000), ("open_px", 0 <= self.open_px <= 51),
            ("close_px", 0 <= self.close_px <= 101), ("min_area", 0 < self.min_area < 1),
            ("max_area", self.min_area < self.max_area <= 1), ("person_aspect", 0.1 <= self.person_aspect <= 10),
            ("min_score", 0 <= self.min_score < 1),
            ("full_fill", 0.05 <= self.full_fill <= 1),
        ]
        for name, ok in checks:
            if not ok:
                raise MotionParamsError(f"motion parameter {name}={getattr(self, name)!r} is out of range")

    @classmethod
    def from_dict(cls, data: dict) -> "MotionParams":
        if not isinstance(data, dict):
            raise MotionParamsError("motion parameters must be an object")
        known = {f.name: f.type for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise MotionParamsError(f"unknown motion parameter(s): {', '.join(unknown)}")
        values = {}
        for name, value in data.items():
            default = getattr(cls, name)
            try:
                if isinstance(default, bool):
                    if not isinstance(value, bool):
                        raise TypeError
                    values[name] = value
                elif isinstance(default, int):
                    if isinstance(value, bool) or int(value) != value:
                        raise TypeError
                    values[name] = int(value)
                else:
                    if isinstance(value, bool):
                        raise TypeError
                    values[name] = float(value)
            except (TypeError, ValueError):
                raise MotionParamsError(f"motion parameter {name} must be a {type(default).__name__}") from None
        return cls(**values)

    def as_dict(self) -> dict:
        return asdict(self)


def _kernel(px):
    return masks.ellipse_kernel(px) if px > 1 else None


class MotionDetector:
    """One stream's background model and the boxes of what moves against it."""

    def __init__(self, params: MotionParams | None = None):
        self.params = params or MotionParams()
        p = self.params
        self._mog = video.background_subtractor(history=p.history, var_threshold=p.var_threshold,
                                                detect_shadows=p.detect_shadows, background_ratio=p.background_ratio)
        self._open = _kernel(p.open_px)
        self._close = _kernel(p.close_px)
        self.frames_seen = 0
        self.shape = None

    def foreground(self, frame: np.ndarray) -> np.ndarray:
        """The cleaned foreground mask (0/255) after learning this frame."""
        mask = self._mog.apply(frame, learningRate=self.params.learning_rate)
        # 127 marks shadows: a shadow moves with its object but is not part of it.
        mask = masks.above(mask, 200)
        if self._open is not None:
            mask = masks.opened(mask, self._open)
        if self._close is not None:
            mask = masks.closed(mask, self._close)
        return mask

    def detect(self, frame: np.ndarray) -> list[dict]:
        """[{"label", "class_id", "score", "box": [x1, y1, x2, y2]}] for one BGR frame."""
        if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.ndim != 3 or frame.shape[2] != 3:
            raise ValueError("frame must be a uint8 H x W x 3 array")
        if self.shape is not None and frame.shape != self.shape:
            raise ValueError(f"frame size changed from {self.shape[1]}x{self.shape[0]} to "
                             f"{frame.shape[1]}x{frame.shape[0]} within one stream")
        self.shape = frame.shape
        mask = self.foreground(frame)
        self.frames_seen += 1
        if self.frames_seen <= self.params.warmup_frames:
            return []
        h, w = mask.shape
        area = float(h * w)
        p = self.params
        out = []
        for x, y, bw, bh in masks.outer_boxes(mask):
            box_area = float(bw * bh)
            if box_area < p.min_area * area or box_area > p.max_area * area:
                continue
            fill = float(np.count_nonzero(mask[y:y + bh, x:x + bw])) / box_area
            # A box just over the noise floor is less certain than a well-sized one.
            size = min(1.0, box_area / (4.0 * p.min_area * area))
            score = round(min(1.0, fill / p.full_fill) * (0.6 + 0.4 * size), 4)
            if score < p.min_score:
                continue
            label = "person" if bh >= p.person_aspect * bw else "vehicle"
            out.append({"label": label, "class_id": LABELS.index(label), "score": score,
                        "box": [float(x), float(y), float(x + bw), float(y + bh)]})
        out.sort(key=lambda d: -d["score"])
        return out


def as_boxes(detections: list[dict]) -> np.ndarray:
    """Detections as the core detection task's [N, 6] rows (class, score, x1, y1, x2, y2)."""
    if not detections:
        return np.zeros((0, 6), dtype=np.float32)
    return np.asarray([[d["class_id"], d["score"], *d["box"]] for d in detections], dtype=np.float32)
