"""The backend interface (after Triton's python backend: load once, execute batches,
release). A backend turns named numpy inputs into named numpy outputs; codecs
(core.inference.codecs) do the pre- and post-processing."""
from abc import ABC, abstractmethod
from pathlib import Path

import numpy as np

from core.platform.verticals import registry


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


def check_backend(name, value):
    """What registry["backends"] accepts: a Backend subclass registered under its own name."""
    if not (isinstance(value, type) and issubclass(value, Backend)):
        return f"{value!r} is not a Backend subclass"
    if value.name != name:
        return f"{value.__name__} is named {value.name!r}"
    return None


def get_backend(name: str) -> Backend:
    """The one backend registry: the built-ins (core.inference's ready()) and each
    vertical's BACKENDS, all in registry["backends"]."""
    known = registry["backends"]
    try:
        return known[name]()
    except KeyError:
        raise BackendUnavailable(f"no inference backend {name!r}; known: {', '.join(sorted(known))}") from None
