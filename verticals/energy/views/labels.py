"""Line-patrol defect categories in the reader's language. The patrol model and the graph
keep the English keys (lib.patrol.CATEGORY_TREE); the dashboard translates the known ones
at display time and shows any other category as recorded."""
from django.utils.translation import gettext_lazy

CATEGORY_LABELS = {
    # top-level parts of a line
    "tower": gettext_lazy("tower"),
    "insulator": gettext_lazy("insulator"),
    "fittings": gettext_lazy("fittings"),
    "conductor": gettext_lazy("conductor"),
    "foundation": gettext_lazy("foundation"),
    "channel": gettext_lazy("right of way"),
    "bird_nest": gettext_lazy("bird nest"),
    "auxiliary": gettext_lazy("auxiliary facilities"),
    # the defects under them
    "bent_member": gettext_lazy("bent tower member"),
    "missing_member": gettext_lazy("missing tower member"),
    "self_explosion": gettext_lazy("self-shattered insulator"),
    "flashover_burn": gettext_lazy("flashover burn"),
    "corroded_damper": gettext_lazy("corroded damper"),
    "broken_strand": gettext_lazy("broken strand"),
    "foreign_object": gettext_lazy("foreign object"),
    "exposed_footing": gettext_lazy("exposed footing"),
    "tree_encroachment": gettext_lazy("tree encroachment"),
    "construction_machinery": gettext_lazy("construction machinery"),
    "damaged_sign": gettext_lazy("damaged sign"),
    "broken_anti_climb": gettext_lazy("broken anti-climb guard"),
}


def category_label(category):
    return str(CATEGORY_LABELS.get(category, category or ""))
