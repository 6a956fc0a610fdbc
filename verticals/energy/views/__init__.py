"""Grid pages of the energy vertical (mounted at /v/energy/)."""
from .pages import dashboard, grid_page, trip

__all__ = ["dashboard", "grid_page", "trip"]
