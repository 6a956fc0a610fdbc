"""Codecs: how one task's inputs become a model's inputs and its outputs an answer.

The predict action picks the codec by the model's manifest "task" (a backend that speaks
a task its own way, such as a stateful stream detector, registers the codec for
"<task>/<backend>", which wins). Core registers the tasks it knows (detection); a
vertical brings its own through the contract (codecs.py -> CODECS). A task nobody
registered is served by NamedInputs: JSON inputs by name in, raw outputs out."""
import hashlib
import json
from dataclasses import dataclass, field

import numpy as np

from core.platform.errors import BadInput
from core.platform.verticals import registry

MAX_JSON_INPUT_BYTES = 2 * 1024 * 1024


class InputError(BadInput):
    """The inputs do not fit the model's task: 400 before anything runs."""


@dataclass
class Encoded:
    """The model's inputs, the SHA-256 of what the caller sent (lineage), and whatever the
    decoding needs to know about the request (an image's size, single or batch)."""

    inputs: dict
    sha256: str
    context: dict = field(default_factory=dict)


@dataclass
class Decoded:
    """`answer` goes back to the caller; `recorded` is kept in the prediction record (the
    answer itself unless the codec keeps less, e.g. a batch's reason codes)."""

    answer: dict
    recorded: dict | None = None

    def __post_init__(self):
        if self.recorded is None:
            self.recorded = self.answer


class Codec:
    task: str = ""
    backend: str | None = None  # set when only this backend's models speak the task this way
    # A model that keeps state per stream key (a background): {"stream": key, "release": True}
    # drops one when its stream ends.
    per_stream: bool = False

    def encode(self, inputs, loaded, config: dict) -> Encoded:
        raise NotImplementedError

    def decode(self, outputs: dict, loaded, encoded: Encoded, config: dict) -> Decoded:
        raise NotImplementedError

    def refusal(self, exc: Exception, encoded: Encoded) -> Exception | None:
        """The error to answer with when the model itself refused the inputs (None: not an
        input problem, let it propagate)."""
        return None

    @property
    def key(self):
        return f"{self.task}/{self.backend}" if self.backend else self.task


def jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def json_digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


class NamedInputs(Codec):
    """Any model without a task codec: an object of named JSON inputs (checked against
    the model's input names; a batch {"requests": [...]} is the backend's to check),
    answered {"outputs": {name: value}}."""

    task = "*"

    def encode(self, inputs, loaded, config):
        if not isinstance(inputs, dict):
            raise InputError("this model takes JSON inputs: an object of named inputs", field="inputs")
        text = json.dumps(inputs, sort_keys=True, default=str)
        if len(text) > MAX_JSON_INPUT_BYTES:
            raise InputError(f"inputs over {MAX_JSON_INPUT_BYTES} bytes", field="inputs")
        names = list(getattr(loaded.model, "input_names", None) or [])
        if names and "requests" not in inputs:
            missing = [n for n in names if n not in inputs]
            extra = [k for k in inputs if k not in names]
            if missing or extra:
                raise InputError(f"expected inputs {', '.join(names)}"
                                 + (f"; missing {', '.join(missing)}" if missing else "")
                                 + (f"; unknown {', '.join(extra)}" if extra else ""), field="inputs")
        return Encoded(inputs, hashlib.sha256(text.encode()).hexdigest())

    def decode(self, outputs, loaded, encoded, config):
        return Decoded({"outputs": jsonable(outputs)})


def check_codec(name, value):
    """What registry["codecs"] accepts: a Codec instance registered under its own key."""
    if not isinstance(value, Codec):
        return f"{value!r} is not a Codec instance"
    if not value.task:
        return f"{type(value).__name__} names no task"
    if value.key != name:
        return f"{type(value).__name__} is for {value.key!r}"
    return None


def codec_for(loaded) -> Codec:
    task = loaded.manifest.get("task") or ""
    known = registry["codecs"]
    return known.get(f"{task}/{loaded.profile.backend}") or known.get(task) or NamedInputs()
