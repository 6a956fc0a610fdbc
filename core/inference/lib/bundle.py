"""A model version's artifact: one deterministic zip holding every format the engine
can serve plus a manifest. Same files -> same bytes -> same SHA-256. Pure: stdlib only.

    manifest.json            {"format": "zhongtai-model/1", "task": ..., "labels": [...],
                              "input": {...}, "files": {"paddle": {...}, "onnx": "..."}}
    paddle/model.json        PIR program         paddle/model.pdiparams   weights
    onnx/model.onnx          the same network for ONNX Runtime
    train/...                what produced it (config), for reproduction
"""
import json
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

FORMAT = "zhongtai-model/1"
MANIFEST = "manifest.json"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)


class BundleError(ValueError):
    pass


def write_bundle(out_path, manifest: dict, files: dict[str, Path]) -> Path:
    """files: {name inside the zip: source path}."""
    manifest = {**manifest, "format": FORMAT}
    entries = {MANIFEST: json.dumps(manifest, sort_keys=True, indent=1).encode()}
    with zipfile.ZipFile(out_path, "w", allowZip64=True) as zf:
        for name in sorted(set(entries) | set(files)):
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o100644 << 16
            if name in entries:
                zf.writestr(info, entries[name])
            else:
                with open(files[name], "rb") as src, zf.open(info, "w") as dst:
                    shutil.copyfileobj(src, dst, 1024 * 1024)
    return Path(out_path)


def read_manifest(bundle_dir: Path) -> dict:
    path = Path(bundle_dir) / MANIFEST
    if not path.exists():
        raise BundleError("not a model bundle: manifest.json missing")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BundleError(f"unsupported bundle format {manifest.get('format')!r}")
    return manifest


def extract(bundle_zip: Path, target: Path) -> Path:
    """Extract into target atomically (temp sibling, then rename); reuse if present."""
    target = Path(target)
    if (target / MANIFEST).exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=".extract-"))
    try:
        with zipfile.ZipFile(bundle_zip) as zf:
            for info in zf.infolist():
                name = info.filename
                if name.startswith("/") or ".." in Path(name).parts:
                    raise BundleError(f"unsafe path in bundle: {name}")
                zf.extract(info, tmp)
        read_manifest(tmp)
        try:
            os.rename(tmp, target)
        except OSError:
            if not (target / MANIFEST).exists():  # another process won the race otherwise
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target
