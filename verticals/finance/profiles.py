PROFILES = [
    {"name": "cpu-scorecard", "backend": "scorecard", "device": "cpu", "threads": 1, "max_batch": 10000,
     "options": {"reason_codes": 3}, "description": "Credit scorecard rules evaluated in-process (JSON, no pickle)."},
]
