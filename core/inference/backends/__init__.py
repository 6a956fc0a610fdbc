"""Inference backends. Each module imports its framework only inside load()."""
from .base import BACKENDS, Backend, BackendUnavailable, get_backend  # noqa: F401
