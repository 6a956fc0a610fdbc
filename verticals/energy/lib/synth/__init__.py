"""Seeded synthetic data generators of the energy vertical (no real patrol images can be
fetched in an air-gapped deployment)."""
