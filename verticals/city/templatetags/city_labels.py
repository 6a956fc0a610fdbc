"""Template filters that show the city's stored English keys in the reader's language
(see verticals/city/labels.py)."""
from django import template

from ..views import labels

register = template.Library()

register.filter("camera_status_label", labels.camera_status_label)
register.filter("class_label", labels.class_label)
register.filter("direction_label", labels.direction_label)
register.filter("event_title", labels.event_title)
register.filter("message_label", labels.message_label)
register.filter("camera_shown", labels.camera_shown)
