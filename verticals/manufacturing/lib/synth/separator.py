"""Synthetic lithium-battery separator images with labelled defects, as a COCO folder.

No real defect images can be fetched in an air-gapped deployment, so the demo and the
tests train on these. They imitate a backlit line-scan view of a coated microporous
film (PE/PP base, ceramic coating): fine pore grain, faint streaks along the machine
direction (image y), slow brightness drift and lens vignetting, and small defects at
the sizes a separator line actually rejects.

Classes (COCO category ids are stable: position in CLASSES + 1), with the range of the
longer side of each tight box in pixels:

    1 uncoated     coating missing: irregular lighter or darker patch, smoother grain  12-40
    2 scratch      thin line 1-2 px wide, slightly curved, any angle                   15-60
    3 dent         small elliptical depression, dark with a lit rim on one side         6-16
    4 black_spot   dark contaminant dot                                                  3-10
    5 bright_spot  gel / bright inclusion with a faint dark ring                         3-10
    6 wrinkle      faint elongated fold, bright on one side and dark on the other       20-60
    7 pinhole      tiny hole, very bright in transmitted light                           2-4

Real lines also see marks that are not defects, and rejecting a part for them is over-kill:
classic threshold inspection cannot tell them apart, a trained detector can learn to. Each
image carries a few such benign marks (Poisson, mean `nuisance`), never labelled:

    dust      out-of-focus dust on the light diffuser or window: a broad soft shadow
    lint      a loose fibre lying on the film (the air knife removes it): faint blurred line
    cluster   a coating agglomerate inside the specification: tiny, faint, soft

Boxes are computed from the pixels each defect actually changed, so they are tight.
The same arguments give byte-identical files. Pure numpy + OpenCV: no Django.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from core.data.lib.class_deck import deal, rendered
from core.data.lib.coco_writer import CocoWriter
from core.data.lib.placement import mask_box, overlaps
from core.inference.backends.opencv import draw, images, transforms

CLASSES = ("uncoated", "scratch", "dent", "black_spot", "bright_spot", "wrinkle", "pinhole")
CATEGORY_IDS = {name: i + 1 for i, name in enumerate(CLASSES)}
SIZE_RANGES = {
    "uncoated": (12, 40),
    "scratch": (15, 60),
    "dent": (6, 16),
    "black_spot": (3, 10),
    "bright_spot": (3, 10),
    "wrinkle": (20, 60),
    "pinhole": (2, 4),
}
SUPERSAMPLE = 4
MAX_TRIES = 60
GAP = 3  # px kept between defects so no box contains a piece of another defect


def _unit(x):
    x = x - x.mean()
    s = x.std()
    return x / s if s > 0 else x


def film(rng, size):
    """The defect-free film as float32 grey levels."""
    h = w = size
    base = rng.uniform(176, 206)
    grain = _unit(transforms.gaussian_blur(rng.normal(0, 1, (h, w)).astype(np.float32), 0.7))
    img = base + grain * rng.uniform(5.0, 7.5)
    # Stretching the film aligns pores along the machine direction: streaks along y.
    streak = _unit(transforms.gaussian_blur(rng.normal(0, 1, (h, w)).astype(np.float32), 0.9, sigma_y=14))
    img += streak * rng.uniform(1.5, 3.0)
    # Thickness varies slowly across the web (transverse direction, x).
    x = np.arange(w, dtype=np.float32)
    img += rng.uniform(0.5, 2.0) * np.sin(2 * math.pi * x / rng.uniform(40, 120) + rng.uniform(0, 6.3))[None, :]
    low = transforms.resize(rng.normal(0, 1, (4, 4)).astype(np.float32), (w, h), interpolation="cubic")
    img += _unit(low) * rng.uniform(3.0, 7.0)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w / 2 + rng.uniform(-0.1, 0.1) * w, h / 2 + rng.uniform(-0.1, 0.1) * h
    r2 = ((xx - cx) ** 2 + (yy - cy) ** 2) / (0.5 * math.hypot(w, h)) ** 2
    img *= 1.0 - rng.uniform(0.06, 0.14) * r2
    return img.astype(np.float32)


def _down(hi_res):
    """Area-average a supersampled drawing back to pixels (anti-aliased coverage 0..1)."""
    s = hi_res.shape[0] // SUPERSAMPLE
    return transforms.resize(hi_res.astype(np.float32), (s, s), interpolation="area")


def _grid(s):
    c = (s - 1) / 2
    yy, xx = np.mgrid[0:s, 0:s].astype(np.float32)
    return xx - c, yy - c


def _rot(u, v, theta):
    c, s = math.cos(theta), math.sin(theta)
    return u * c + v * s, -u * s + v * c


def _stroke(s, u, v, width):
    """Coverage (0..1) of an anti-aliased polyline through (u, v), patch-centred, width px wide."""
    c = s * SUPERSAMPLE / 2
    pts = np.stack([c + u * SUPERSAMPLE, c + v * SUPERSAMPLE], axis=1).round().astype(np.int32)
    hi = np.zeros((s * SUPERSAMPLE, s * SUPERSAMPLE), np.uint8)
    draw.polylines(hi, [pts], 255, width * SUPERSAMPLE, antialiased=True)
    return _down(hi / 255.0)


# Each renderer returns (delta, mask) on a square patch: the grey-level change it makes and
# the pixels where that change is visible (the tight box comes from the mask).

def _uncoated(rng, s, hf):
    n = 16
    r0 = rng.uniform(5.5, 13.5)
    noise = np.convolve(np.tile(rng.normal(0, 1, n), 3), np.ones(3) / 3, mode="same")[n:2 * n]
    stretch, theta = rng.uniform(1.0, 1.45), rng.uniform(0, math.pi)
    angles = np.linspace(0, 2 * math.pi, n, endpoint=False)
    radii = r0 * (1 + 0.28 * noise)
    px, py = radii * np.cos(angles) * stretch, radii * np.sin(angles)
    px, py = _rot(px, py, theta)
    c = s * SUPERSAMPLE / 2
    pts = np.stack([c + px * SUPERSAMPLE, c + py * SUPERSAMPLE], axis=1).round().astype(np.int32)
    hi = np.zeros((s * SUPERSAMPLE, s * SUPERSAMPLE), np.uint8)
    draw.fill_polygons(hi, [pts], 255)
    alpha = transforms.gaussian_blur(_down(hi / 255.0), 0.8)
    offset = rng.choice([-1.0, 1.0], p=[0.35, 0.65]) * rng.uniform(14, 30)
    mottle = 1 + 0.2 * _unit(transforms.gaussian_blur(rng.normal(0, 1, (s, s)).astype(np.float32), 3))
    # Without the coating the pore grain is finer and weaker: damp the local high frequencies.
    delta = alpha * (offset * mottle - 0.6 * hf)
    return delta, alpha >= 0.5


def _scratch(rng, s, hf):
    length, theta = rng.uniform(16, 66), rng.uniform(0, math.pi)
    bend = rng.uniform(-0.08, 0.08) * length
    t = np.linspace(-0.5, 0.5, 24)
    u, v = t * length, bend * (1 - 4 * t ** 2)
    width = int(rng.choice([1, 1, 2]))
    alpha = _stroke(s, *_rot(u, v, theta), width)
    amp = rng.choice([-1.0, 1.0], p=[0.7, 0.3]) * rng.uniform(32, 55)
    # Pressure varies along a scratch: let its strength drift slowly.
    fade = 0.65 + 0.35 * _unit(transforms.gaussian_blur(rng.normal(0, 1, (s, s)).astype(np.float32), 6)).clip(-1, 1)
    delta = alpha * amp * fade
    return delta, alpha >= 0.3


def _dent(rng, s, hf):
    a = rng.uniform(3.2, 7.2)
    b = a * rng.uniform(0.6, 1.0)
    u, v = _rot(*_grid(s), rng.uniform(0, math.pi))
    d = np.exp(-2.0 * ((u / a) ** 2 + (v / b) ** 2))
    gy, gx = np.gradient(d)
    light = rng.uniform(0, 2 * math.pi)
    shade = gx * math.cos(light) + gy * math.sin(light)
    delta = -rng.uniform(32, 52) * d + rng.uniform(60, 95) * shade
    return delta, np.abs(delta) >= max(3.0, 0.22 * np.abs(delta).max())


def _spot(rng, s, radius, irregular=0.2):
    u, v = _grid(s)
    ang = np.arctan2(v, u)
    wobble = 1 + irregular * np.sin(3 * ang + rng.uniform(0, 6.3)) * rng.uniform(0, 1)
    stretch = rng.uniform(1.0, 1.4)
    uu, vv = _rot(u, v, rng.uniform(0, math.pi))
    r = np.sqrt((uu / stretch) ** 2 + vv ** 2) / wobble
    return np.clip(radius + 0.5 - r, 0, 1).astype(np.float32), r


def _black_spot(rng, s, hf):
    alpha, _ = _spot(rng, s, rng.uniform(1.2, 4.2))
    alpha = transforms.gaussian_blur(alpha, 0.6)
    delta = -rng.uniform(70, 125) * alpha
    return delta, alpha >= 0.35


def _bright_spot(rng, s, hf):
    radius = rng.uniform(1.2, 4.2)
    alpha, r = _spot(rng, s, radius, irregular=0.1)
    alpha = transforms.gaussian_blur(alpha, 0.6)
    ring = np.exp(-((r - radius - 1.2) ** 2) / 0.8).astype(np.float32)
    delta = rng.uniform(45, 70) * alpha - rng.uniform(6, 12) * ring * (1 - alpha)
    return delta, alpha >= 0.35


def _wrinkle(rng, s, hf):
    length = rng.uniform(22, 64)
    width = rng.uniform(1.4, 3.2)
    # Folds form mostly along the machine direction, some across it.
    theta = (math.pi / 2 if rng.random() < 0.7 else 0.0) + rng.uniform(-0.35, 0.35)
    u, v = _rot(*_grid(s), theta)
    along = np.clip(1 - (2 * u / length) ** 2, 0, 1) ** 0.7
    across = -(v / width) * np.exp(-0.5 * (v / width) ** 2) * 1.65
    delta = rng.uniform(14, 24) * along * across
    return delta.astype(np.float32), np.abs(delta) >= max(2.5, 0.3 * np.abs(delta).max())


def _pinhole(rng, s, hf):
    alpha, r = _spot(rng, s, rng.uniform(0.6, 1.6), irregular=0.0)
    halo = np.exp(-(r ** 2) / 6.0).astype(np.float32)
    delta = rng.uniform(75, 110) * alpha + rng.uniform(5, 10) * halo
    return delta, alpha >= 0.45


def _dust(rng, s, hf):
    sigma = rng.uniform(2.5, 6.0)
    u, v = _rot(*_grid(s), rng.uniform(0, math.pi))
    blob = np.exp(-0.5 * ((u / (sigma * rng.uniform(1.0, 1.6))) ** 2 + (v / sigma) ** 2))
    delta = -rng.uniform(14, 32) * blob
    return delta.astype(np.float32), blob >= 0.3


def _lint(rng, s, hf):
    length, theta = rng.uniform(18, 50), rng.uniform(0, math.pi)
    t = np.linspace(-0.5, 0.5, 24)
    u, v = t * length, rng.uniform(-0.25, 0.25) * length * (1 - 4 * t ** 2)
    # Lying on top of the film it is out of the focal plane: blurred, and only a faint shadow.
    alpha = transforms.gaussian_blur(_stroke(s, *_rot(u, v, theta), 1), 1.1)
    alpha /= max(float(alpha.max()), 1e-6)
    delta = -rng.uniform(16, 30) * alpha
    return delta.astype(np.float32), alpha >= 0.3


def _cluster(rng, s, hf):
    alpha, _ = _spot(rng, s, rng.uniform(0.8, 1.8), irregular=0.3)
    alpha = transforms.gaussian_blur(alpha, 1.0)
    alpha /= max(float(alpha.max()), 1e-6)
    delta = rng.uniform(14, 26) * alpha
    return delta.astype(np.float32), alpha >= 0.3


NUISANCES = {"dust": (_dust, 60), "lint": (_lint, 110), "cluster": (_cluster, 24)}


def _add_nuisance(rng, img, hf, boxes):
    """A benign mark somewhere it does not touch a defect (so labels stay unambiguous)."""
    kind = str(rng.choice(sorted(NUISANCES)))
    renderer, s = NUISANCES[kind]
    return kind if _place(rng, img, hf, renderer, min(s, img.shape[0]), boxes) else None


RENDERERS = {
    "uncoated": _uncoated, "scratch": _scratch, "dent": _dent, "black_spot": _black_spot,
    "bright_spot": _bright_spot, "wrinkle": _wrinkle, "pinhole": _pinhole,
}


def _add_defect(rng, img, hf, cls, boxes):
    """Draw one defect of class cls where it fits; returns its box, or None if no room."""
    lo, hi = SIZE_RANGES[cls]
    return _place(rng, img, hf, RENDERERS[cls], min(2 * hi + 16, img.shape[0]), boxes,
                  fits=lambda b: lo <= max(b[2], b[3]) <= hi)


def _place(rng, img, hf, renderer, s, boxes, fits=lambda b: True):
    """Render on an s x s patch at random spots until the drawing fits and keeps clear of
    `boxes`, then add it to img; returns its box in image pixels, or None after MAX_TRIES."""
    for _ in range(MAX_TRIES):
        x0 = int(rng.integers(0, img.shape[1] - s + 1))
        y0 = int(rng.integers(0, img.shape[0] - s + 1))
        delta, mask = renderer(rng, s, hf[y0:y0 + s, x0:x0 + s])
        b = mask_box(mask)
        if b is None or not fits(b):
            continue
        box = (x0 + b[0], y0 + b[1], b[2], b[3])
        if overlaps(box, boxes, GAP):
            continue
        img[y0:y0 + s, x0:x0 + s] += delta
        return box
    return None


def render(rng, size, classes, nuisance=0.0):
    """One image (uint8 BGR) and its [(class, (x, y, w, h))] for the requested defect classes,
    plus Poisson(nuisance) benign marks that are not labelled."""
    img = film(rng, size)
    hf = img - transforms.gaussian_blur(img, 2.0)
    boxes, labels = [], []
    for cls in classes:
        box = _add_defect(rng, img, hf, cls, boxes)
        if box is not None:
            boxes.append(box)
            labels.append((cls, box))
    for _ in range(int(rng.poisson(nuisance)) if nuisance > 0 else 0):
        _add_nuisance(rng, img, hf, boxes)
    # A backlit film is near-grey with a faint cast that differs from line to line.
    tint = rng.uniform(-3, 3, 3).astype(np.float32)
    bgr = np.clip(np.round(img[:, :, None] + tint[None, None, :]), 0, 255).astype(np.uint8)
    return bgr, labels


def generate(out_dir, *, n_images=64, size=320, seed=0, clean_fraction=0.25, nuisance=1.0) -> dict:
    """Write out_dir/annotations.json and out_dir/images/sep_NNNN.png (COCO, file_name relative
    to images/). round(n_images * clean_fraction) images carry no defect, the rest 1-4 each;
    classes are dealt in shuffled rounds so every class appears once there are enough defects.
    Every image, clean ones too, also gets Poisson(nuisance) unlabelled benign marks."""
    if n_images < 1 or size < 128:
        raise ValueError("need at least one image of at least 128x128 px")
    if not 0 <= clean_fraction <= 1:
        raise ValueError("clean_fraction must be between 0 and 1")
    if not 0 <= nuisance <= 10:
        raise ValueError("nuisance (mean benign marks per image) must be between 0 and 10")
    out = Path(out_dir)
    (out / "images").mkdir(parents=True, exist_ok=True)
    counts, deck = deal(np.random.default_rng(seed), n_images, CLASSES, blank_fraction=clean_fraction,
                        most_per_image=4)
    coco, per_class = CocoWriter(), {c: 0 for c in CLASSES}
    for i, bgr, labels in rendered(counts, deck, seed, lambda rng, classes: render(rng, size, classes, nuisance)):
        name = f"sep_{i:04d}.png"
        if not images.write_png(out / "images" / name, bgr, 6):
            raise OSError(f"could not write {out / 'images' / name}")
        image_id = coco.add_image(name, size, size)
        for cls, (x, y, w, h) in labels:
            per_class[cls] += 1
            coco.add_box(image_id, CATEGORY_IDS[cls], x, y, w, h)
    ann_path = coco.write(out / "annotations.json",
                          info={"description": "synthetic lithium-battery separator film with defects", "version": "1",
                                "generator": "verticals.manufacturing.lib.synth.separator", "seed": seed,
                                "size": size, "nuisance": nuisance},
                          categories=[{"id": CATEGORY_IDS[c], "name": c, "supercategory": "separator_defect"} for c in CLASSES])
    return {
        "path": str(out),
        "annotations": str(ann_path),
        "num_images": n_images,
        "num_annotations": len(coco.annotations),
        "clean_images": coco.unlabelled_images,
        "per_class": per_class,
        "categories": list(CLASSES),
    }
