"""Trainers the core ships (verticals add theirs through trainers.py)."""
