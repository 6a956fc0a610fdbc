"""The line-patrol defect categories (8 top categories over 13 detection classes) and
how a defect found on a patrol image is keyed in the graph. Pure: no Django, no OpenCV."""
CATEGORY_TREE = {
    "bent_member": "tower",
    "missing_member": "tower",
    "self_explosion": "insulator",
    "flashover_burn": "insulator",
    "corroded_damper": "fittings",
    "broken_strand": "conductor",
    "foreign_object": "conductor",
    "exposed_footing": "foundation",
    "tree_encroachment": "channel",
    "construction_machinery": "channel",
    "bird_nest": "bird_nest",
    "damaged_sign": "auxiliary",
    "broken_anti_climb": "auxiliary",
}
TOP_CATEGORIES = ("tower", "insulator", "fittings", "conductor", "foundation", "channel", "bird_nest", "auxiliary")
CLASSES = tuple(CATEGORY_TREE)


def tree():
    """top -> [sub, ...] in CLASSES order."""
    out = {top: [] for top in TOP_CATEGORIES}
    for sub, top in CATEGORY_TREE.items():
        out[top].append(sub)
    return out


def defect_key(image_sha256, index):
    """The graph key of the index-th defect kept from one image: recording it twice adds nothing."""
    return f"patrol:{image_sha256[:16]}:{index}"
