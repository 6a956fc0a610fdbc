from core.platform.verticals import ModelType

MODEL_TYPES = [
    ModelType(name="load_forecast", task="forecasting", trainer="energy.heat_load", default_backend="forecast",
              description="Day-ahead load forecast (48 half-hours) from load lags, calendar and a temperature "
                          "forecast."),
    ModelType(name="patrol_defect", task="detection", trainer="energy.patrol_pipeline",
              default_backend="onnxruntime",
              description="Line-patrol defect detector (8 top categories, 13 sub-categories), PicoDet-S 320."),
]
