"""Deployment profiles: where and how a model runs. The core declares the common ones;
verticals add theirs in profiles.py. A profile whose device or framework build is absent
is refused with the reason, never quietly run on the CPU."""
from dataclasses import dataclass, field

from core.platform.verticals import registry


@dataclass(frozen=True)
class Profile:
    name: str
    backend: str
    device: str
    precision: str = "fp32"
    threads: int = 2
    max_batch: int = 1
    options: dict = field(default_factory=dict)
    description: str = ""
    vertical: str = ""

    def as_dict(self):
        return {"name": self.name, "backend": self.backend, "device": self.device, "precision": self.precision,
                "threads": self.threads, "max_batch": self.max_batch, "options": self.options,
                "description": self.description, "vertical": self.vertical}


CORE_PROFILES = [
    Profile("cpu-paddle", "paddle-inference", "cpu", threads=1,
            description="Paddle Inference on the CPU (oneDNN off: PIR models with nearest_interp crash it)."),
    Profile("cpu-onnxruntime", "onnxruntime", "cpu", threads=2,
            description="ONNX Runtime on the CPU; the fastest choice on x86 servers without accelerators."),
    Profile("gpu-tensorrt", "paddle-inference", "gpu", precision="fp16", max_batch=8, options={"tensorrt": True},
            description="Paddle Inference with TensorRT on an NVIDIA GPU (needs paddlepaddle-gpu)."),
    Profile("gpu-onnxruntime", "onnxruntime", "gpu", description="ONNX Runtime with CUDA (needs onnxruntime-gpu)."),
    Profile("kunlun-xpu", "paddle-inference", "xpu", description="Paddle Inference on a Kunlun XPU (paddlepaddle-xpu)."),
    Profile("cpu-trees", "trees", "cpu", threads=1, max_batch=10000,
            description="Gradient-boosted trees (tabular recipes) scored in-process with numpy; JSON, no pickle."),
    Profile("cpu-linear", "linear", "cpu", threads=1, max_batch=1000,
            description="TF-IDF + linear text classifiers (text_classification recipe) scored in-process with "
                        "numpy; JSON, no pickle."),
]


class UnknownProfile(LookupError):
    pass


def all_profiles() -> dict[str, Profile]:
    profiles = {p.name: p for p in CORE_PROFILES}
    for name, spec in registry["profiles"].items():
        fields = {k: v for k, v in spec.items() if k in Profile.__dataclass_fields__}
        profiles[name] = Profile(**fields)
    return profiles


def get_profile(name: str) -> Profile:
    profiles = all_profiles()
    if name not in profiles:
        raise UnknownProfile(f"unknown deployment profile {name!r}; profiles: {', '.join(sorted(profiles))}")
    return profiles[name]


def host_problem(profile: Profile) -> str | None:
    """None when this host can run the profile, else a sentence saying why not."""
    from .backends import BackendUnavailable, get_backend

    try:
        backend = get_backend(profile.backend)
    except BackendUnavailable as exc:
        return str(exc)
    reason = backend.available(profile)
    return f"profile {profile.name!r} cannot run here: {reason}" if reason else None
