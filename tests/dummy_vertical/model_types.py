from core.platform.verticals import ModelType

MODEL_TYPES = [
    ModelType(
        name="linear",
        task="regression",
        input_schema={"type": "array", "items": {"type": "number"}},
        output_schema={"type": "number"},
        trainer="dummy.least_squares",
        default_backend="numpy",
        description="Linear regression fitted by gradient descent.",
    )
]
