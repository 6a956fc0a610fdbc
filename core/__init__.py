"""Zhongtai core. The Celery app loads lazily so plain imports stay cheap."""
