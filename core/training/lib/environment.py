"""What a training run records about where it ran. Pure apart from reading the host."""
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

PACKAGES = ("Django", "celery", "numpy", "networkx", "paddlepaddle", "paddledet", "paddle2onnx", "onnxruntime",
            "scikit-learn", "optbinning", "zhongtai")


def package_versions(names=PACKAGES):
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def code_revision(repo_dir: Path) -> str:
    """The git commit the code runs from; ZHONGTAI_CODE_REVISION wins (images without .git)."""
    if rev := os.environ.get("ZHONGTAI_CODE_REVISION"):
        return rev
    try:
        out = subprocess.run(["git", "-C", str(repo_dir), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=5)
        if out.returncode == 0:
            rev = out.stdout.strip()
            dirty = subprocess.run(["git", "-C", str(repo_dir), "status", "--porcelain", "--untracked-files=no"],
                                   capture_output=True, text=True, timeout=5).stdout.strip()
            return rev + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return "unknown"


def describe():
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "packages": package_versions(),
    }
