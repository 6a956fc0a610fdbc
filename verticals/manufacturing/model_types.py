from core.platform.verticals import ModelType

MODEL_TYPES = [
    ModelType(
        name="separator_defect",
        task="detection",
        input_schema={"type": "image", "size": [320, 320], "color": "RGB"},
        output_schema={"type": "boxes", "fields": ["class_id", "label", "score", "box"]},
        trainer="core.detection",
        default_backend="onnxruntime",
        description="Small-defect detector for battery-separator film (PicoDet-S, 320 px).",
    ),
]
