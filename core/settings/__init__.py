"""Settings package: use core.settings.computed (run) or core.settings.test (tests)."""
