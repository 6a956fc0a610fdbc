"""The city's in-process inference backend: the moving-object detector (lib.motion), a
JSON of parameters served through the core engine like any model (bundle hash-verified,
lineage from the version to every StreamRun that used it).

Inputs: {"stream": "<key>", "frame": uint8 H x W x 3 BGR}. The background model is state,
so the loaded model keeps one detector per stream key (the MAX_STREAMS most recently used);
a new key starts a fresh background, {"stream": key, "release": True} drops one.
Outputs: {"boxes": [N, 6] float32 (class, score, x1, y1, x2, y2)}, the rows the core
detection task's postprocess reads, labels from the manifest ("person", "vehicle")."""
import threading
from collections import OrderedDict

import numpy as np

from core.inference.backends import opencv
from core.inference.backends.base import Backend, LoadedModel

MAX_STREAMS = 64


class _MotionModel(LoadedModel):
    input_names = ["stream", "frame"]
    output_names = ["boxes"]

    def __init__(self, params):
        self.params = params
        self._detectors: "OrderedDict[str, object]" = OrderedDict()
        self._lock = threading.Lock()

    def _detector(self, key):
        from .lib.motion import MotionDetector

        with self._lock:
            det = self._detectors.get(key)
            if det is None:
                det = self._detectors[key] = MotionDetector(self.params)
                while len(self._detectors) > MAX_STREAMS:
                    self._detectors.popitem(last=False)
            else:
                self._detectors.move_to_end(key)
            return det

    def run(self, inputs):
        from .lib.motion import as_boxes

        key = inputs.get("stream")
        if not isinstance(key, str) or not key:
            raise ValueError("stream: send the stream's key (a non-empty string)")
        if inputs.get("release"):
            with self._lock:
                self._detectors.pop(key, None)
            return {"boxes": np.zeros((0, 6), dtype=np.float32)}
        frame = inputs.get("frame")
        if not isinstance(frame, np.ndarray):
            raise ValueError("frame: send a uint8 H x W x 3 BGR array")
        return {"boxes": as_boxes(self._detector(key).detect(frame))}

    def streams(self) -> int:
        return len(self._detectors)

    def close(self):
        with self._lock:
            self._detectors.clear()


class MotionBackend(Backend):
    name = "cv-motion"
    format = "cv-motion"

    def available(self, profile):
        if profile.device != "cpu":
            return f"the motion detector runs on the CPU, not {profile.device}"
        return opencv.missing()

    def load(self, bundle_dir, manifest, profile):
        import json

        from .lib.motion import MotionParams, MotionParamsError

        try:
            params = MotionParams.from_dict(json.loads((bundle_dir / manifest["files"]["cv-motion"]).read_text()))
        except MotionParamsError as exc:
            raise ValueError(str(exc)) from None
        return _MotionModel(params)


BACKENDS = [MotionBackend]
