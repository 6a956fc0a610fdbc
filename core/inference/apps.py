from django.apps import AppConfig


class InferenceConfig(AppConfig):
    name = "core.inference"
    label = "inference"
    verbose_name = "Inference engine"

    def ready(self):
        from core.platform.verticals import registry

        from .backends.base import check_backend
        from .backends.linear import LinearBackend
        from .backends.onnxruntime_backend import OnnxRuntimeBackend
        from .backends.paddle_inference import PaddleInferenceBackend
        from .backends.trees import TreesBackend
        from .codecs import check_codec
        from .codecs.classification import ClassificationCodec
        from .codecs.detection import DetectionCodec
        from .codecs.forecast import ForecastCodec
        from .codecs.tabular import CODECS as TABULAR_CODECS
        from .codecs.text import TextClassificationCodec

        # Runs before any vertical's ready(): their BACKENDS are checked on arrival.
        registry.expect("backends", check_backend)
        for backend in (OnnxRuntimeBackend, PaddleInferenceBackend, TreesBackend, LinearBackend):
            registry.add("backends", backend.name, backend)
        registry.expect("codecs", check_codec)
        for codec in (DetectionCodec(), ClassificationCodec(), *TABULAR_CODECS, TextClassificationCodec(),
                      ForecastCodec()):
            registry.add("codecs", codec.key, codec)
