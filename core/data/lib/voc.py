"""Pascal VOC annotations (one XML per image: <filename>, <size>, <object><name><bndbox>) as a
COCO document, so a VOC set imports through the same checks as COCO. Uploaded XML is parsed
with defusedxml (no entity expansion, no external entities). Pure: no Django.

VOC counts pixels from 1 and its corners are inclusive: x = xmin - 1, width = xmax - xmin + 1
(the inverse of samples.voc_xml)."""
from __future__ import annotations

import posixpath

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException


class VocError(ValueError):
    def __init__(self, issues):
        self.issues = issues
        super().__init__("; ".join(issues))


def _number(node, tag, where):
    text = node.findtext(tag)
    try:
        return float(text)
    except (TypeError, ValueError):
        raise VocError([f"{where}: <{tag}> is {text!r}, not a number"]) from None


def parse(xml_bytes: bytes, *, name: str) -> dict:
    """{"file_name", "width", "height", "objects": [(class, x, y, w, h)]} of one annotation file."""
    try:
        root = ElementTree.fromstring(xml_bytes, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise VocError([f"{name}: not a Pascal VOC annotation ({exc})"]) from None
    if root.tag != "annotation":
        raise VocError([f"{name}: the root element is <{root.tag}>, not <annotation>"])
    file_name = (root.findtext("filename") or "").strip()
    if not file_name:
        raise VocError([f"{name}: no <filename>"])
    size = root.find("size")
    if size is None:
        raise VocError([f"{name}: no <size>"])
    width, height = _number(size, "width", name), _number(size, "height", name)
    objects = []
    for n, obj in enumerate(root.findall("object")):
        where = f"{name}: object {n + 1}"
        label = (obj.findtext("name") or "").strip()
        box = obj.find("bndbox")
        if not label or box is None:
            raise VocError([f"{where}: needs <name> and <bndbox>"])
        xmin, ymin = _number(box, "xmin", where), _number(box, "ymin", where)
        xmax, ymax = _number(box, "xmax", where), _number(box, "ymax", where)
        if xmax < xmin or ymax < ymin:
            raise VocError([f"{where}: xmax/ymax lie before xmin/ymin"])
        objects.append((label, xmin - 1, ymin - 1, xmax - xmin + 1, ymax - ymin + 1))
    return {"file_name": file_name, "width": int(width), "height": int(height), "objects": objects}


def to_coco(parsed: list) -> dict:
    """The COCO document of parsed VOC annotations (images in file-name order, classes sorted)."""
    classes = sorted({o[0] for p in parsed for o in p["objects"]})
    ids = {c: i + 1 for i, c in enumerate(classes)}
    images, annotations = [], []
    for i, p in enumerate(sorted(parsed, key=lambda p: p["file_name"]), start=1):
        images.append({"id": i, "file_name": posixpath.basename(p["file_name"]), "width": p["width"],
                       "height": p["height"]})
        for label, x, y, w, h in p["objects"]:
            annotations.append({"id": len(annotations) + 1, "image_id": i, "category_id": ids[label],
                                "bbox": [x, y, w, h], "area": w * h, "iscrowd": 0})
    return {"images": images, "annotations": annotations,
            "categories": [{"id": ids[c], "name": c} for c in classes]}
