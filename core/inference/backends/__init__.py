"""Inference backends. Each module imports its framework only inside load()."""
from .base import Backend, BackendUnavailable, get_backend  # noqa: F401
