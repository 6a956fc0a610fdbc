"""What accelerators this host has, found without importing a framework."""
import glob
import importlib.util
import shutil
import subprocess
from functools import lru_cache
from importlib import metadata


def _installed(dist):
    try:
        metadata.version(dist)
        return True
    except metadata.PackageNotFoundError:
        return False


@lru_cache(maxsize=None)
def nvidia_gpus() -> list[str]:
    if not glob.glob("/dev/nvidia[0-9]*") and not shutil.which("nvidia-smi"):
        return []
    try:
        out = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True, timeout=10)
        return [line for line in out.stdout.splitlines() if line.startswith("GPU ")]
    except (OSError, subprocess.SubprocessError):
        return []


@lru_cache(maxsize=None)
def kunlun_xpus() -> list[str]:
    return sorted(glob.glob("/dev/xpu[0-9]*"))


@lru_cache(maxsize=None)
def ascend_npus() -> list[str]:
    return sorted(glob.glob("/dev/davinci[0-9]*"))


def devices() -> dict:
    return {"cpu": True, "gpu": nvidia_gpus(), "xpu": kunlun_xpus(), "npu": ascend_npus()}


def device_problem(device: str, framework: str = "paddle") -> str | None:
    """None when `device` is present and the framework build can drive it, else why not."""
    if device == "cpu":
        return None
    if device == "gpu":
        if not nvidia_gpus():
            return "no NVIDIA GPU on this host (nvidia-smi finds none)"
        if framework == "paddle" and not _installed("paddlepaddle-gpu"):
            return "an NVIDIA GPU is present but the installed Paddle is the CPU build (need paddlepaddle-gpu)"
        return None
    if device == "xpu":
        if not kunlun_xpus():
            return "no Kunlun XPU on this host (/dev/xpu* absent)"
        if framework == "paddle" and not _installed("paddlepaddle-xpu"):
            return "a Kunlun XPU is present but Paddle's XPU build is not installed (need paddlepaddle-xpu)"
        return None
    if device == "npu":
        if not ascend_npus():
            return "no Ascend NPU on this host (/dev/davinci* absent)"
        if importlib.util.find_spec("paddle_custom_device") is None:
            return "an Ascend NPU is present but paddle-custom-npu is not installed"
        return None
    return f"unknown device {device!r}"
