"""Defect class names in the reader's language. Models and the inspection records keep the
English keys their training data used; the pages translate the known ones at display time
and show any other class (a customer's own model) as it was trained."""
from django.utils.translation import gettext_lazy

CLASS_LABELS = {
    "uncoated": gettext_lazy("uncoated"),
    "scratch": gettext_lazy("scratch"),
    "dent": gettext_lazy("dent"),
    "black_spot": gettext_lazy("black spot"),
    "bright_spot": gettext_lazy("bright spot"),
    "wrinkle": gettext_lazy("wrinkle"),
    "pinhole": gettext_lazy("pinhole"),
    # the contrast guard's marks (lib.verdict.GUARD_LABEL): not a model class
    "contrast": gettext_lazy("contrast anomaly"),
}


def class_label(name):
    return str(CLASS_LABELS.get(name, name or ""))
