PROFILES = [
    {"name": "dummy-cpu-numpy", "backend": "numpy", "device": "cpu", "precision": "fp32", "threads": 1},
]
