"""Paddle Inference. paddle is imported in available()/load() only."""
import importlib.util
from pathlib import Path

import numpy as np

from .base import Backend, LoadedModel


class _PaddleModel(LoadedModel):
    def __init__(self, predictor):
        self.predictor = predictor
        self.input_names = list(predictor.get_input_names())
        self.output_names = list(predictor.get_output_names())

    def run(self, inputs):
        for name in self.input_names:
            handle = self.predictor.get_input_handle(name)
            array = np.ascontiguousarray(inputs[name])
            handle.reshape(array.shape)
            handle.copy_from_cpu(array)
        self.predictor.run()
        return {name: self.predictor.get_output_handle(name).copy_to_cpu() for name in self.output_names}


class PaddleInferenceBackend(Backend):
    name = "paddle-inference"
    format = "paddle"

    def available(self, profile):
        if importlib.util.find_spec("paddle") is None:
            return "paddlepaddle is not installed"
        if profile.device == "cpu":
            return None
        from ..host import device_problem

        return device_problem(profile.device, framework="paddle")

    def load(self, bundle_dir: Path, manifest, profile):
        from paddle import inference

        files = manifest["files"]["paddle"]
        config = inference.Config(str(bundle_dir / files["model"]), str(bundle_dir / files["params"]))
        if profile.device == "cpu":
            config.disable_gpu()
            config.set_cpu_math_library_num_threads(int(profile.threads))
            # oneDNN crashes on PIR programs that contain nearest_interp (PicoDet's neck).
            config.disable_mkldnn()
        elif profile.device == "gpu":
            config.enable_use_gpu(256, 0)
            if profile.options.get("tensorrt"):
                precision = {"fp32": inference.PrecisionType.Float32, "fp16": inference.PrecisionType.Half,
                             "int8": inference.PrecisionType.Int8}[profile.precision]
                config.enable_tensorrt_engine(workspace_size=1 << 30, max_batch_size=profile.max_batch,
                                              min_subgraph_size=3, precision_mode=precision)
        elif profile.device == "xpu":
            config.enable_xpu()
        config.disable_glog_info()
        return _PaddleModel(inference.create_predictor(config))
