"""Credit-risk pages of the finance vertical (mounted at /v/finance/, namespace "finance")."""
from .dashboard import dashboard, decide
from .governance import evidence, model_detail, reproduce, reproductions_panel
from .inventory import change_status, inventory, register
from .score import score_page

__all__ = ["change_status", "dashboard", "decide", "evidence", "inventory", "model_detail", "register", "reproduce",
           "reproductions_panel", "score_page"]
