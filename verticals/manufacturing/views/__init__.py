"""Line-QC pages of the manufacturing vertical (mounted at /v/manufacturing/)."""
from .live import feed, inspect_images, inspection_image, review
from .pages import station_detail, station_list

__all__ = ["feed", "inspect_images", "inspection_image", "review", "station_detail", "station_list"]
