"""Seeded synthetic data generators of the manufacturing vertical (no real defect images
can be fetched in an air-gapped deployment)."""
