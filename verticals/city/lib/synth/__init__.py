"""Seeded synthetic data generators of the city vertical: street-camera images and clips
(traffic) and IoT sensor series (sensors)."""
