"""The backend interface (after Triton's python backend: load once, execute batches,
release). A backend turns named numpy inputs into named numpy outputs; tasks
(core.inference.tasks) do the pre- and post-processing."""
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np


class BackendUnavailable(RuntimeError):
    """The framework or device a profile needs is not on this host."""


class LoadedModel(ABC):
    input_names: list
    output_names: list

    @abstractmethod
    def run(self, inputs: dict[str, np.ndarray]) -> dict[str, np.ndarray]: ...

    def close(self):
        pass


class Backend(ABC):
    name: str = ""
    format: str = ""  # which file of the bundle it loads: "paddle" or "onnx"

    @abstractmethod
    def available(self, profile) -> str | None:
        """None when this host can run `profile` with this backend, else the reason."""

    @abstractmethod
    def load(self, bundle_dir: Path, manifest: dict, profile) -> LoadedModel: ...


BACKENDS: dict[str, type[Backend]] = {}


def register(cls):
    BACKENDS[cls.name] = cls
    return cls


def get_backend(name: str) -> Backend:
    from . import onnxruntime_backend, paddle_inference  # noqa: F401  (register themselves; no framework import)

    from core.platform.verticals import registry

    known = {**BACKENDS, **registry["backends"]}
    try:
        return known[name]()
    except KeyError:
        raise BackendUnavailable(f"no inference backend {name!r}; known: {', '.join(sorted(known))}") from None
