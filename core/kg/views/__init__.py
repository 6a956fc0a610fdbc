"""The knowledge-graph viewer pages (mounted at /kg/, namespace "kg")."""
from .pages import entity_search, graph_list, graph_page

__all__ = ["entity_search", "graph_list", "graph_page"]
