"""ONNX Runtime. onnxruntime is imported in available()/load() only."""
import importlib.util
from pathlib import Path

from .base import Backend, LoadedModel

PROVIDERS = {"cpu": "CPUExecutionProvider", "gpu": "CUDAExecutionProvider", "tensorrt": "TensorrtExecutionProvider"}


class _OrtModel(LoadedModel):
    def __init__(self, session):
        self.session = session
        self.input_names = [i.name for i in session.get_inputs()]
        self.output_names = [o.name for o in session.get_outputs()]

    def run(self, inputs):
        outputs = self.session.run(self.output_names, {name: inputs[name] for name in self.input_names})
        return dict(zip(self.output_names, outputs))


class OnnxRuntimeBackend(Backend):
    name = "onnxruntime"
    format = "onnx"

    def _provider(self, profile):
        return PROVIDERS["tensorrt" if profile.options.get("tensorrt") else profile.device] \
            if profile.device in ("cpu", "gpu") else None

    def available(self, profile):
        if importlib.util.find_spec("onnxruntime") is None:
            return "onnxruntime is not installed"
        provider = self._provider(profile)
        if provider is None:
            return f"ONNX Runtime has no execution provider for device {profile.device!r} in this build"
        import onnxruntime

        if provider not in onnxruntime.get_available_providers():
            return (f"ONNX Runtime on this host lacks {provider} "
                    f"(has {', '.join(onnxruntime.get_available_providers())})")
        return None

    def load(self, bundle_dir: Path, manifest, profile):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = int(profile.threads)
        options.inter_op_num_threads = 1
        # Spinning intra-op threads fight other processes for the cores; on a shared 2-core
        # host turning it off halved the 2-thread latency (bench/README.md).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3  # paddle2onnx leaves unused initializers; ORT warns per one
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        session = onnxruntime.InferenceSession(str(bundle_dir / manifest["files"]["onnx"]), sess_options=options,
                                               providers=[self._provider(profile)])
        return _OrtModel(session)
