PROFILES = [
    # One thread per station keeps several stations on a 2-core industrial PC responsive.
    {"name": "line-station-cpu", "backend": "onnxruntime", "device": "cpu", "precision": "fp32", "threads": 1,
     "description": "A line-side industrial PC: ONNX Runtime, one thread per station."},
]
