"""Synthetic transmission-line patrol images (drone / helicopter view) with labelled defects,
as a COCO folder.

No real patrol images can be fetched in an air-gapped deployment, so the demo and the tests
train on these. Each image shows sky over vegetation, one lattice tower (legs, bracing,
two cross-arms), insulator strings hanging from the arm tips, conductors sagging away to
both sides with a damper each, the tower footings, a number plate and an anti-climb guard.

Defects follow the line-patrol category tree (8 top categories, the detection classes are
the sub-categories; COCO category ids are stable: position in CLASSES + 1):

    tower        bent_member, missing_member
    insulator    self_explosion (missing disc), flashover_burn
    fittings     corroded_damper
    conductor    broken_strand, foreign_object (kite / plastic hanging on it)
    foundation   exposed_footing (soil eroded around the footing)
    channel      tree_encroachment, construction_machinery (crane under the line)
    bird_nest    bird_nest
    auxiliary    damaged_sign, broken_anti_climb

Boxes are computed from the pixels each defect actually changed, so they are tight. The
same arguments give byte-identical files. Pure numpy + OpenCV: no Django.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from core.data.lib.class_deck import deal, rendered
from core.data.lib.coco_writer import CocoWriter
from core.data.lib.placement import mask_box, overlaps
from core.inference.backends.opencv import draw, images, transforms

from ..patrol import CATEGORY_TREE, CLASSES, TOP_CATEGORIES, tree  # noqa: F401  (part of what it generates)

CATEGORY_IDS = {name: i + 1 for i, name in enumerate(CLASSES)}
DIFF = 12  # grey-level change (any channel) that counts as "changed" for the tight box
GAP = 3
MAX_TRIES = 30


# -- the defect-free scene --------------------------------------------------------------------

def background(rng, s):
    """Sky gradient over a textured vegetation band (uint8 BGR)."""
    yy = np.arange(s, dtype=np.float32)[:, None, None] / s
    top = np.array([rng.uniform(200, 235), rng.uniform(170, 200), rng.uniform(120, 160)], np.float32)
    low = np.array([rng.uniform(225, 245), rng.uniform(215, 235), rng.uniform(200, 225)], np.float32)
    hy = rng.uniform(0.55, 0.72)
    sky = top + (low - top) * np.clip(yy / hy, 0, 1)
    img = np.broadcast_to(sky, (s, s, 3)).copy()
    grass = np.array([rng.uniform(40, 70), rng.uniform(95, 130), rng.uniform(60, 90)], np.float32)
    tex = transforms.gaussian_blur(rng.normal(0, 1, (s, s)).astype(np.float32), 1.2)
    blotch = transforms.resize(rng.normal(0, 1, (6, 6)).astype(np.float32), (s, s), interpolation="cubic")
    veg = grass[None, None, :] * (1 + 0.12 * tex[..., None] + 0.1 * blotch[..., None])
    # A soft, slightly wavy horizon.
    x = np.arange(s, dtype=np.float32)
    edge = hy * s + 4 * np.sin(2 * math.pi * x / rng.uniform(80, 200) + rng.uniform(0, 6.3))
    alpha = np.clip((np.arange(s, dtype=np.float32)[:, None] - edge[None, :]) / 3.0 + 0.5, 0, 1)[..., None]
    img = img * (1 - alpha) + veg * alpha
    img += rng.normal(0, 1.5, (s, s, 1)).astype(np.float32)
    return np.clip(np.round(img), 0, 255).astype(np.uint8), float(hy * s)


def _lerp(a, b, t):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _line(img, p, q, color, thickness=1):
    draw.line(img, (int(round(p[0])), int(round(p[1]))), (int(round(q[0])), int(round(q[1]))), color, thickness,
              antialiased=True)


def scene(rng, s):
    """The defect-free patrol image (uint8 BGR), the bare background and the geometry."""
    bg, horizon = background(rng, s)
    img = bg.copy()
    steel = tuple(int(v) for v in rng.uniform(55, 85, 3))
    cx = rng.uniform(0.42, 0.58) * s
    y0, y1 = rng.uniform(0.06, 0.1) * s, s - rng.uniform(0.05, 0.08) * s
    wt, wb = rng.uniform(0.025, 0.035) * s, rng.uniform(0.13, 0.17) * s

    def half(y):
        return wt + (wb - wt) * (y - y0) / (y1 - y0)

    g = {"size": s, "cx": cx, "y0": y0, "y1": y1, "horizon": horizon, "steel": steel, "half": half}
    _line(img, (cx - wt, y0), (cx - wb, y1), steel, 2)
    _line(img, (cx + wt, y0), (cx + wb, y1), steel, 2)
    levels = np.linspace(y0 + 0.08 * (y1 - y0), y1, int(rng.integers(6, 9)))
    braces = []
    for ya, yb in zip(levels[:-1], levels[1:]):
        a, b = half(ya), half(yb)
        _line(img, (cx - a, ya), (cx + a, ya), steel)
        for p, q in (((cx - a, ya), (cx + b, yb)), ((cx + a, ya), (cx - b, yb))):
            _line(img, p, q, steel)
            braces.append((p, q))
    g["braces"] = braces
    # Cross-arms: a thin truss each side; insulator strings hang from the tips.
    g["arms"], g["strings"], g["conductors"], g["dampers"] = [], [], [], []
    porcelain = (int(rng.uniform(60, 90)), int(rng.uniform(100, 130)), int(rng.uniform(150, 190)))
    glass = (int(rng.uniform(140, 170)), int(rng.uniform(160, 185)), int(rng.uniform(110, 135)))
    disc_color = porcelain if rng.random() < 0.5 else glass
    for frac in (0.1, 0.28):
        ya = y0 + frac * (y1 - y0)
        length = rng.uniform(0.2, 0.28) * s
        for side in (-1, 1):
            base = cx + side * half(ya)
            tip = cx + side * (half(ya) + length)
            _line(img, (base, ya), (tip, ya), steel)
            _line(img, (base, ya + 6), (tip, ya), steel)
            g["arms"].append((base, ya, side))
            n = int(rng.integers(7, 10))
            discs = []
            _line(img, (tip, ya), (tip, ya + 4 * n + 3), (70, 70, 70))
            for k in range(n):
                c = (tip, ya + 4 + 4 * k)
                draw.ellipse(img, (int(round(c[0])), int(round(c[1]))), (4, 1), disc_color, draw.FILLED, antialiased=True)
                discs.append(c)
            g["strings"].append({"tip": (tip, ya), "discs": discs, "color": disc_color})
            # Conductor: a parabola from the string's end to beyond the image edge.
            att = (tip, ya + 4 * n + 3)
            far = 0 if side < 0 else s - 1
            sag = rng.uniform(0.05, 0.12) * s
            xs = np.linspace(att[0], far, 40)
            t = (xs - att[0]) / (far - att[0])
            ys = att[1] + sag * 4 * t * (1.6 - t) / 2.56  # still falling at the edge
            pts = np.stack([xs, ys], 1)
            draw.polylines(img, [np.round(pts).astype(np.int32)], (45, 45, 50), 1, antialiased=True)
            g["conductors"].append(pts)
            d = pts[3]
            _line(img, (d[0] - 5, d[1]), (d[0] + 5, d[1]), (70, 70, 70), 2)
            for e in (-5, 5):
                draw.circle(img, (int(round(d[0] + e)), int(round(d[1]))), 2, (80, 80, 85), draw.FILLED, antialiased=True)
            g["dampers"].append((float(d[0]), float(d[1])))
    # Footings, number plate, anti-climb guard.
    concrete = tuple(int(v) for v in rng.uniform(165, 190, 3))
    g["footings"] = []
    for side in (-1, 1):
        fx = cx + side * wb
        draw.rectangle(img, (int(fx - 7), int(y1 - 2)), (int(fx + 7), int(y1 + 5)), concrete, draw.FILLED)
        g["footings"].append((fx, y1))
    ys = y0 + 0.7 * (y1 - y0)
    side = 1 if rng.random() < 0.5 else -1
    px = cx + side * (half(ys) - 2) - (10 if side > 0 else 0)
    draw.rectangle(img, (int(px), int(ys)), (int(px) + 10, int(ys) + 7), (235, 235, 235), draw.FILLED)
    draw.rectangle(img, (int(px), int(ys)), (int(px) + 10, int(ys) + 7), (40, 40, 200), 1)
    g["sign"] = (int(px), int(ys), 11, 8)
    yg = y0 + 0.86 * (y1 - y0)
    hg = half(yg)
    _line(img, (cx - hg, yg), (cx + hg, yg), (110, 110, 110))
    for x in np.arange(cx - hg + 2, cx + hg - 1, 3):
        _line(img, (x, yg), (x, yg - 4), (110, 110, 110))
    g["guard"] = (cx - hg, cx + hg, yg)
    return img, bg, g


# -- defects: each draws on img (restoring bg where something goes missing) ----------------------

def _pick(rng, seq):
    return seq[int(rng.integers(0, len(seq)))]


def _bent_member(rng, img, bg, g):
    p, q = _pick(rng, g["braces"])
    a, b = _lerp(p, q, 0.2), _lerp(p, q, 0.8)
    _erase_segment(img, bg, a, b)
    m = _lerp(a, b, rng.uniform(0.35, 0.65))
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy) or 1
    off = rng.choice([-1, 1]) * rng.uniform(5, 9)
    k = (m[0] - dy / n * off, m[1] + dx / n * off)
    _line(img, a, k, g["steel"], 2)
    _line(img, k, b, g["steel"], 2)


def _erase_segment(img, bg, a, b, width=3):
    mask = np.zeros(img.shape[:2], np.uint8)
    _line(mask, a, b, 255, width)
    img[mask > 0] = bg[mask > 0]


def _missing_member(rng, img, bg, g):
    p, q = _pick(rng, g["braces"])
    _erase_segment(img, bg, _lerp(p, q, 0.15), _lerp(p, q, 0.85))


def _self_explosion(rng, img, bg, g):
    st = _pick(rng, g["strings"])
    k = int(rng.integers(1, len(st["discs"]) - 2))
    n = int(rng.integers(1, 3))
    mask = np.zeros(img.shape[:2], np.uint8)
    for c in st["discs"][k:k + n]:
        draw.ellipse(mask, (int(round(c[0])), int(round(c[1]))), (5, 2), 255, draw.FILLED)
    img[mask > 0] = bg[mask > 0]
    tip = st["tip"]
    _line(img, (tip[0], st["discs"][k][1] - 2), (tip[0], st["discs"][k + n - 1][1] + 2), (70, 70, 70))


def _flashover_burn(rng, img, bg, g):
    st = _pick(rng, g["strings"])
    k = int(rng.integers(0, len(st["discs"]) - 3))
    for c in st["discs"][k:k + int(rng.integers(2, 5))]:
        draw.ellipse(img, (int(round(c[0])), int(round(c[1]))), (4, 1), (20, 25, 35), draw.FILLED, antialiased=True)
        draw.circle(img, (int(round(c[0] + rng.uniform(-2, 2))), int(round(c[1]))), 1, (10, 10, 15), draw.FILLED)


def _corroded_damper(rng, img, bg, g):
    x, y = _pick(rng, g["dampers"])
    rust = (int(rng.uniform(20, 45)), int(rng.uniform(70, 100)), int(rng.uniform(150, 190)))
    _line(img, (x - 6, y), (x + 6, y), rust, 2)
    for e in (-6, 6):
        draw.circle(img, (int(round(x + e)), int(round(y + 1))), 3, rust, draw.FILLED, antialiased=True)


def _broken_strand(rng, img, bg, g):
    pts = _pick(rng, g["conductors"])
    x, y = pts[int(rng.integers(8, 30))]
    color = tuple(int(v) for v in rng.uniform(165, 205, 3))
    for _ in range(int(rng.integers(3, 6))):
        ang = rng.uniform(-math.pi, math.pi)
        ln = rng.uniform(6, 13)
        _line(img, (x, y), (x + ln * math.cos(ang), y + ln * math.sin(ang)), color)


def _foreign_object(rng, img, bg, g):
    pts = _pick(rng, g["conductors"])
    x, y = pts[int(rng.integers(8, 30))]
    drop = rng.uniform(4, 10)
    _line(img, (x, y), (x, y + drop), (30, 30, 30))
    r = rng.uniform(5, 10)
    n = 6
    ang = np.linspace(0, 2 * math.pi, n, endpoint=False) + rng.uniform(0, 1)
    rad = r * rng.uniform(0.6, 1.2, n)
    poly = np.stack([x + rad * np.cos(ang), y + drop + r + rad * np.sin(ang)], 1)
    color = _pick(rng, [(40, 40, 210), (200, 90, 30), (240, 240, 240), (40, 200, 230)])
    draw.fill_polygons(img, [np.round(poly).astype(np.int32)], color, antialiased=True)


def _exposed_footing(rng, img, bg, g):
    fx, fy = _pick(rng, g["footings"])
    soil = (int(rng.uniform(30, 50)), int(rng.uniform(60, 80)), int(rng.uniform(95, 120)))
    ax, ay = int(rng.uniform(11, 18)), int(rng.uniform(5, 8))
    draw.ellipse(img, (int(fx), int(fy + 6)), (ax, ay), soil, draw.FILLED, antialiased=True)
    draw.rectangle(img, (int(fx - 6), int(fy - 2)), (int(fx + 6), int(fy + 10)), (200, 200, 205), draw.FILLED)


def _tree_encroachment(rng, img, bg, g):
    s = g["size"]
    for _ in range(20):
        x = rng.uniform(0.05, 0.95) * s
        if abs(x - g["cx"]) > g["half"](g["horizon"]) + 25:
            break
    else:
        return
    h = rng.uniform(0.2, 0.32) * s
    base = g["horizon"] + rng.uniform(10, 30)
    _line(img, (x, base), (x, base - 0.4 * h), (30, 50, 70), 3)
    dark = (int(rng.uniform(20, 40)), int(rng.uniform(55, 80)), int(rng.uniform(25, 45)))
    for _ in range(7):
        c = (x + rng.uniform(-0.2, 0.2) * h, base - h * rng.uniform(0.45, 0.9))
        draw.circle(img, (int(c[0]), int(c[1])), int(rng.uniform(0.1, 0.2) * h), dark, draw.FILLED, antialiased=True)


def _construction_machinery(rng, img, bg, g):
    s = g["size"]
    for _ in range(20):
        x = rng.uniform(0.08, 0.92) * s
        if abs(x - g["cx"]) > g["half"](g["horizon"]) + 30:
            break
    else:
        return
    y = g["horizon"] + rng.uniform(20, 50)
    yellow = (20, int(rng.uniform(170, 210)), int(rng.uniform(220, 250)))
    draw.rectangle(img, (int(x - 9), int(y - 6)), (int(x + 9), int(y + 3)), yellow, draw.FILLED)
    draw.rectangle(img, (int(x - 10), int(y + 3)), (int(x + 10), int(y + 6)), (30, 30, 30), draw.FILLED)
    side = -1 if x > g["cx"] else 1
    ln, ang = rng.uniform(30, 55), rng.uniform(0.6, 1.1)
    tip = (x + side * ln * math.cos(ang), y - 6 - ln * math.sin(ang))
    _line(img, (x, y - 6), tip, yellow, 2)
    _line(img, tip, (tip[0], tip[1] + rng.uniform(8, 16)), (30, 30, 30))


def _bird_nest(rng, img, bg, g):
    bx, by, side = _pick(rng, g["arms"])
    c = (bx + side * rng.uniform(2, 6), by + rng.uniform(-4, -2))
    ax, ay = rng.uniform(5, 8), rng.uniform(3, 5)
    twig = (int(rng.uniform(25, 45)), int(rng.uniform(55, 75)), int(rng.uniform(85, 110)))
    draw.ellipse(img, (int(c[0]), int(c[1])), (int(ax), int(ay)), twig, draw.FILLED, antialiased=True)
    for _ in range(10):
        a = rng.uniform(0, 2 * math.pi)
        p = (c[0] + ax * math.cos(a), c[1] + ay * math.sin(a))
        _line(img, p, (p[0] + rng.uniform(-4, 4), p[1] + rng.uniform(-3, 3)), (20, 40, 60))


def _damaged_sign(rng, img, bg, g):
    x, y, w, h = g["sign"]
    img[y - 1:y + h + 1, x - 1:x + w + 1] = bg[y - 1:y + h + 1, x - 1:x + w + 1]
    c = (x + w / 2, y + h / 2 + rng.uniform(1, 3))
    ang = math.radians(rng.choice([-1, 1]) * rng.uniform(20, 45))
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [0, h / 2], [-w / 2, 0]])
    rot = np.array([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]])
    poly = corners @ rot.T + c
    draw.fill_polygons(img, [np.round(poly).astype(np.int32)], (180, 185, 190), antialiased=True)


def _broken_anti_climb(rng, img, bg, g):
    xl, xr, yg = g["guard"]
    if xr - xl < 30:
        return
    a = rng.uniform(xl + 4, xr - 20)
    b = a + rng.uniform(10, 16)
    ys, xs = int(yg) - 5, int(a)
    img[ys:int(yg) + 2, xs:int(b)] = bg[ys:int(yg) + 2, xs:int(b)]
    for x in np.arange(a + 1, b, 4):
        _line(img, (x, yg), (x + rng.uniform(-4, 4), yg + rng.uniform(4, 7)), (110, 110, 110))


RENDERERS = {
    "bent_member": _bent_member, "missing_member": _missing_member, "self_explosion": _self_explosion,
    "flashover_burn": _flashover_burn, "corroded_damper": _corroded_damper, "broken_strand": _broken_strand,
    "foreign_object": _foreign_object, "exposed_footing": _exposed_footing, "tree_encroachment": _tree_encroachment,
    "construction_machinery": _construction_machinery, "bird_nest": _bird_nest, "damaged_sign": _damaged_sign,
    "broken_anti_climb": _broken_anti_climb,
}


def changed_box(before, after, threshold=DIFF):
    return mask_box(np.abs(before.astype(np.int16) - after.astype(np.int16)).max(axis=2) >= threshold)


def render(rng, size, classes):
    """One image (uint8 BGR) and its [(class, (x, y, w, h))] for the requested defect classes."""
    img, bg, g = scene(rng, size)
    boxes, labels = [], []
    for cls in classes:
        for _ in range(MAX_TRIES):
            trial = img.copy()
            RENDERERS[cls](rng, trial, bg, g)
            box = changed_box(img, trial)
            if box is None or min(box[2], box[3]) < 2 or overlaps(box, boxes, GAP):
                continue
            # Pixels that changed only a little inside the box stay as drawn; the rest of the image is untouched.
            img = trial
            boxes.append(box)
            labels.append((cls, box))
            break
    return img, labels


def generate(out_dir, *, n_images=64, size=320, seed=0, clean_fraction=0.2) -> dict:
    """Write out_dir/annotations.json and out_dir/images/patrol_NNNN.png (COCO, file_name
    relative to images/). round(n_images * clean_fraction) images carry no defect, the rest 1-3
    each; classes are dealt in shuffled rounds so every class appears once there are enough."""
    if n_images < 1 or size < 160:
        raise ValueError("need at least one image of at least 160x160 px")
    if not 0 <= clean_fraction <= 1:
        raise ValueError("clean_fraction must be between 0 and 1")
    out = Path(out_dir)
    (out / "images").mkdir(parents=True, exist_ok=True)
    counts, deck = deal(np.random.default_rng(seed), n_images, CLASSES, blank_fraction=clean_fraction,
                        most_per_image=3)
    coco, per_class = CocoWriter(), {c: 0 for c in CLASSES}
    for i, bgr, labels in rendered(counts, deck, seed, lambda rng, classes: render(rng, size, classes)):
        name = f"patrol_{i:04d}.png"
        if not images.write_png(out / "images" / name, bgr, 6):
            raise OSError(f"could not write {out / 'images' / name}")
        image_id = coco.add_image(name, size, size)
        for cls, (x, y, w, h) in labels:
            per_class[cls] += 1
            coco.add_box(image_id, CATEGORY_IDS[cls], x, y, w, h)
    ann_path = coco.write(out / "annotations.json",
                          info={"description": "synthetic transmission-line patrol images with defects", "version": "1",
                                "generator": "verticals.energy.lib.synth.patrol", "seed": seed, "size": size},
                          categories=[{"id": CATEGORY_IDS[c], "name": c, "supercategory": CATEGORY_TREE[c]} for c in CLASSES])
    return {
        "path": str(out),
        "annotations": str(ann_path),
        "num_images": n_images,
        "num_annotations": len(coco.annotations),
        "clean_images": coco.unlabelled_images,
        "per_class": per_class,
        "categories": list(CLASSES),
        "tree": tree(),
    }
