PROFILES = [
    {"name": "cpu-load-forecast", "backend": "forecast", "device": "cpu", "threads": 1, "max_batch": 64,
     "options": {}, "description": "Day-ahead load forecast: a per-period ridge model evaluated in-process "
                                   "(JSON, no pickle)."},
]
