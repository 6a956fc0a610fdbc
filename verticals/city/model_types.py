from core.platform.verticals import ModelType

MODEL_TYPES = [
    ModelType(name="vehicle_detector", task="detection", trainer="city.traffic_pipeline",
              default_backend="onnxruntime",
              input_schema={"image": "BGR street-camera frame, any size (trained on 640x360)"},
              output_schema={"detections": [{"label": "person | car | bus | truck | muck_truck | "
                                                       "muck_truck_uncovered", "score": "0..1",
                                              "box": "[x1, y1, x2, y2] in the frame's pixels"}]},
              description="Road-user detector for video structuring (person, car, bus, truck, covered and "
                          "uncovered muck trucks), PicoDet-S 320 trained from scratch on synthetic street scenes."),
]
