"""The moving-object detector's codec (backends.py serves it): a detection task spoken by a
stateful model, so a frame goes in with its stream's key (one background per stream) and
the boxes come back as the core detection codec reads them."""
import numpy as np

from core.inference.codecs import Codec, Decoded, Encoded, InputError
from core.inference.codecs.detection import image_of, postprocess

# One-off calls (the scheduler, the predict API) share one background.
ONE_OFF_STREAM = "scheduler"


class MotionCodec(Codec):
    """Inputs: {"frame": BGR array, "stream": key} from a stream pipeline, {"stream": key,
    "release": True} to drop a stream's background, or an image (bytes or {"image": bytes})
    for a one-off call. Answer: {"detections": [...], "image": {"width", "height"}}."""

    task = "detection"
    backend = "cv-motion"
    per_stream = True

    def encode(self, inputs, loaded, config):
        if isinstance(inputs, dict) and inputs.get("release"):
            return Encoded({"stream": inputs.get("stream"), "release": True}, "", {"release": True})
        if isinstance(inputs, dict) and "tensor" in inputs:
            raise InputError("this stream detector takes no image or tensor input of a fixed shape: "
                             "send an image file", field="tensor")
        found = image_of(inputs)
        if found is None:
            raise InputError("this model is a detector: send an image", field="image")
        frame, digest = found
        stream = inputs.get("stream", ONE_OFF_STREAM) if isinstance(inputs, dict) else ONE_OFF_STREAM
        if not isinstance(stream, str) or not stream:
            raise InputError("stream: send the stream's key (a non-empty string)", field="stream")
        h, w = frame.shape[:2]
        return Encoded({"stream": stream, "frame": frame}, digest, {"image": {"width": w, "height": h}})

    def decode(self, outputs, loaded, encoded, config):
        if encoded.context.get("release"):
            return Decoded({"detections": []})
        min_score = float((config or {}).get("min_score", 0.05))
        boxes = outputs.get("boxes", np.zeros((0, 6), dtype=np.float32))
        return Decoded({"detections": postprocess({"boxes": boxes}, loaded.manifest, min_score=min_score),
                        **encoded.context})


CODECS = [MotionCodec()]
