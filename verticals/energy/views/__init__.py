"""Grid pages of the energy vertical (mounted at /v/energy/)."""
from .faults import record_fault, restore_fault
from .pages import dashboard, grid_page, trip

__all__ = ["dashboard", "grid_page", "record_fault", "restore_fault", "trip"]
