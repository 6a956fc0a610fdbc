"""The city's deployment profiles."""
PROFILES = [
    {"name": "cpu-motion", "backend": "cv-motion", "device": "cpu", "threads": 1, "max_batch": 1, "options": {},
     "description": "Moving-object detector for fixed cameras (OpenCV MOG2 background subtraction, shape-based "
                    "person/vehicle classes), evaluated in-process; parameters are JSON, no pickle."},
]
