"""An image-classification set given as a zip (or folder) of class folders — "dent/0001.jpg",
"ok/0002.png", optionally under one wrapper folder — as the canonical COCO-style document
the platform stores: each image with one image-level annotation (category, no bbox). Pure."""
from __future__ import annotations

import posixpath

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp")


class ClassFolderError(ValueError):
    def __init__(self, issues):
        self.issues = issues
        super().__init__("; ".join(issues))


def layout(names) -> dict:
    """{member name: class} of the images in `names`: each image's folder names its class.
    A single wrapper folder around the class folders is allowed; images at the top or two
    class levels deep are refused by name."""
    images = [n for n in names if n.lower().endswith(IMAGE_SUFFIXES) and not n.endswith("/")]
    if not images:
        raise ClassFolderError(["no image found: expected class folders of images (dent/0001.jpg, ...)"])
    parts = [n.split("/") for n in images]
    wrapper = parts[0][0] if all(len(p) == 3 and p[0] == parts[0][0] for p in parts) else None
    out, issues = {}, []
    for name, p in zip(images, parts):
        rest = p[1:] if wrapper else p
        if len(rest) != 2 or not rest[0].strip():
            issues.append(f"{name}: an image must sit in a class folder (class/image.png)")
            continue
        out[name] = rest[0].strip()
    if issues:
        raise ClassFolderError(issues[:50])
    if len(set(out.values())) < 2:
        raise ClassFolderError([f"only one class folder ({next(iter(set(out.values())))!r}); a classifier needs two "
                                "or more"])
    return out


def document(members: dict, sizes: dict) -> dict:
    """The canonical document: images named class/file (unique), in name order; classes sorted."""
    classes = sorted(set(members.values()))
    ids = {c: i + 1 for i, c in enumerate(classes)}
    images, annotations = [], []
    for i, name in enumerate(sorted(members), start=1):
        cls = members[name]
        file_name = f"{cls}/{posixpath.basename(name)}"
        w, h = sizes[name]
        images.append({"id": i, "file_name": file_name, "width": w, "height": h})
        annotations.append({"id": i, "image_id": i, "category_id": ids[cls]})
    return {"images": images, "annotations": annotations,
            "categories": [{"id": ids[c], "name": c} for c in classes]}
