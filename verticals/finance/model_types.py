from core.platform.verticals import ModelType

MODEL_TYPES = [
    ModelType(name="credit_scorecard", task="scoring",
              input_schema={"type": "record", "fields": "from the scorecard's schema"},
              output_schema={"score": "number", "pd": "number", "reasons": "list"},
              trainer="finance.scorecard", default_backend="scorecard",
              description="Logistic-regression scorecard on optimally binned WOE variables."),
    ModelType(name="anti_fraud", task="classification", trainer="finance.fraud",
              description="Transaction fraud model evaluated at an alert rate."),
]
