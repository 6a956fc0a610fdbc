from core.platform.verticals import ModelType

MODEL_TYPES = [
    ModelType(name="load_forecast", task="forecasting", trainer="energy.heat_load", default_backend="forecast",
              description="Day-ahead load forecast (48 half-hours) from load lags, calendar and a temperature "
                          "forecast."),
]
