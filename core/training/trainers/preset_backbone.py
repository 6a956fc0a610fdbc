"""core.preset_backbone: register a preset backbone (core/training/presets.py) in the hub.

params: source (presets.DEFAULT_SOURCE), published (true: branches below fine-tune from it too).
The weights are read from the file the registry package ships (its SHA-256, package version and
licence go into the version's params, so an auditor sees where every number came from), renamed
to ppdet's keys (lib/lcnet.py: every tensor found in order with its shape, or nothing) and stored
as a plain .npz of arrays: no pickle is ever loaded from a preset. A second run on the same file
registers nothing new and returns the version already there."""
import numpy as np

from ..lib import lcnet
from ..presets import DEFAULT_SOURCE, PRESET_MODEL_TYPE, SOURCES, locate, sha256_of

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def check_preset_backbone(params, *, organisation, acting_user):
    from django.core.exceptions import ValidationError

    source = params.get("source", DEFAULT_SOURCE)
    if source not in SOURCES:
        raise ValidationError({"params": f"source must be one of {', '.join(SOURCES)}, not {source!r}"})


def preset_backbone(ctx):
    from core.hub.actions.registry import ensure_model
    from core.inference.lib.bundle import write_bundle

    key = ctx.params.get("source", DEFAULT_SOURCE)
    source = SOURCES[key]
    path, package_version = locate(source)
    source_sha = sha256_of(path)
    ctx.progress(0.1, f"reading {source.package} {package_version}: {source.file} ({source_sha[:12]})")
    model = ensure_model(name=source.name, organisation=ctx.organisation, acting_user=ctx.acting_user,
                         model_type=PRESET_MODEL_TYPE, published=bool(ctx.params.get("published", True)),
                         title=f"Preset backbone: PP-LCNet x{source.scale}",
                         description=f"Pre-trained weights to fine-tune from: {source.upstream}.")
    already = model.versions.filter(params__source_sha256=source_sha).order_by("-version").first()
    if already is not None:
        ctx.log(f"{model.name} v{already.version} already holds these weights")
        return {"model_version": already.pk, "tensors": already.metrics.get("tensors"), "new": False}

    mapped = source_weights(source, path)
    weights = ctx.workdir / "backbone.npz"
    np.savez(weights, **mapped)
    parameters = int(sum(a.size for a in mapped.values()))
    ctx.progress(0.6, f"{len(mapped)} backbone tensors ({parameters:,} numbers) renamed to ppdet's LCNet keys")
    manifest = {"task": "backbone", "labels": [], "architecture": f"PP-LCNet x{source.scale}",
                "backbone": {"family": source.family, "scale": source.scale, "input_size": source.input_size,
                             "mean": MEAN, "std": STD},
                "files": {"weights": "backbone.npz"},
                "origin": {"package": source.package, "version": package_version, "file": source.file,
                           "sha256": source_sha, "licence": source.licence, "upstream": source.upstream}}
    bundle = write_bundle(ctx.workdir / "preset-bundle.zip", manifest, {"backbone.npz": weights})
    version = ctx.register_model_version(
        model, bundle, metrics={"tensors": len(mapped), "parameters": parameters},
        params={"source": key, "package": source.package, "package_version": package_version,
                "file": source.file, "source_sha256": source_sha, "licence": source.licence,
                "family": source.family, "scale": source.scale},
        description=f"{source.upstream}; from {source.package} {package_version} ({source.licence}), "
                    f"file sha256 {source_sha[:16]}")
    return {"model_version": version.pk, "tensors": len(mapped), "new": True}


def source_weights(source, path) -> dict:
    """{ppdet LCNet key: array} of the source's file (every backbone tensor, or LayoutMismatch)."""
    return lcnet.map_paddle_export(_read_initializers(path), scale=source.scale)


def _read_initializers(path) -> dict:
    """The ONNX file's initializers in file order, as numpy arrays. onnx only parses the
    protobuf: nothing in the file is executed."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    return {init.name: numpy_helper.to_array(init) for init in graph.initializer}
