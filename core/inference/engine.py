"""Loads a model version under a profile and serves it. Loaded models are kept per
process (one per version and profile) and each is used by one thread at a time.
The bundle is verified against its SHA-256 before every load and extracted to a
private temp folder, so a tampered file on disk is never loaded."""
import shutil
import tempfile
import threading
import time
import zipfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .lib.bundle import BundleError, extract, read_manifest
from .profiles import Profile, host_problem  # noqa: E402

MAX_LOADED = 8


class ModelLoadError(RuntimeError):
    pass


class ProfileRefused(RuntimeError):
    pass


@dataclass
class Loaded:
    model: object
    manifest: dict
    profile: Profile
    sha256: str
    lock: threading.Lock
    load_ms: float


_cache: "OrderedDict[tuple, Loaded]" = OrderedDict()
_cache_lock = threading.Lock()


def load_bundle(bundle_zip: Path, sha256: str, profile: Profile) -> Loaded:
    """Load from a verified bundle file (no Django needed: bench and training use it)."""
    from .backends import get_backend

    problem = host_problem(profile)
    if problem:
        raise ProfileRefused(problem)
    backend = get_backend(profile.backend)
    root = Path(settings.VAR_DIR) / "cache" / "models" if settings.configured else Path(tempfile.gettempdir())
    root.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(dir=root, prefix=f"{sha256[:12]}-"))
    started = time.perf_counter()
    try:
        bundle_dir = extract(bundle_zip, workdir / "bundle")
        manifest = read_manifest(bundle_dir)
        if backend.format not in manifest["files"]:
            raise ModelLoadError(f"this model has no {backend.format} format for backend {backend.name}")
        model = backend.load(bundle_dir, manifest, profile)
    except (BundleError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ModelLoadError(f"not a loadable model bundle: {exc}") from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Loaded(model=model, manifest=manifest, profile=profile, sha256=sha256, lock=threading.Lock(),
                  load_ms=(time.perf_counter() - started) * 1000)


def get_loaded(model_version, profile: Profile) -> Loaded:
    from core.hub.actions.artifacts import ArtifactCorrupt, open_verified_path

    key = (model_version.artifact_id, profile.name)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    try:
        path = open_verified_path(model_version.artifact)
    except ArtifactCorrupt as exc:
        raise ModelLoadError(f"refusing to load {model_version}: {exc}") from None
    loaded = load_bundle(path, model_version.artifact_id, profile)
    with _cache_lock:
        _cache[key] = loaded
        while len(_cache) > MAX_LOADED:
            _, old = _cache.popitem(last=False)
            old.model.close()
    return loaded


def forget_all():
    with _cache_lock:
        for loaded in _cache.values():
            loaded.model.close()
        _cache.clear()


def run(loaded: Loaded, inputs: dict):
    with loaded.lock:
        return loaded.model.run(inputs)
