"""Zhongtai core. The Celery app is created with Django so tasks sent from web
processes use the configured broker (this imports celery, never paddle)."""
from .celery import app as celery_app

__all__ = ["celery_app"]
