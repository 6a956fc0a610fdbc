"""Synthetic street-camera footage and a labelled detection dataset of road users.

No pretrained vehicle detector (and no labelled traffic footage with muck trucks) can be
fetched on an air-gapped site, so the city vertical trains on scenes drawn here. A fixed
camera at 640x360 looks across a four-lane street: sky, buildings and trees behind the far
pavement, textured asphalt with lane markings and kerbs, an optional zebra crossing, the near
pavement. Road users are drawn from simple shapes in side view, scaled by perspective
(pixels per metre grow linearly below the horizon), in varied colours:

    person                 walking figure (stride animated)
    car                    sedan / hatchback / SUV silhouettes with windows and wheels
    bus                    long body, window band, doors
    truck                  cab and a closed box body
    muck_truck             dump truck whose load is covered by a tarp (ropes across it)
    muck_truck_uncovered   dump truck with a heap of soil / gravel showing above the bed

Nearer objects are drawn after farther ones, so they occlude them when they pass. The whole
frame then gets a lighting change (gain, tint, gamma), sensor noise and mild blur; dataset
images are JPEG-compressed, clips are written as MJPG.

Ground-truth boxes are the tight bounds of each object's drawn pixels ([x1, y1, x2, y2],
x2/y2 exclusive), clipped to the frame; "foot" is the bottom-centre point a trajectory
scripts, and "visible" the share of the object's pixels that are in frame and not hidden.

The same arguments give the same pixels. Pure numpy + OpenCV: no Django.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.data.lib.class_deck import deal
from core.data.lib.coco_writer import CocoWriter
from core.inference.backends.opencv import draw, images, transforms, video

WIDTH, HEIGHT = 640, 360
CLASSES = ("person", "car", "bus", "truck", "muck_truck", "muck_truck_uncovered")
CATEGORY_IDS = {name: i + 1 for i, name in enumerate(CLASSES)}
MUCK_CLASSES = frozenset({"muck_truck", "muck_truck_uncovered"})
# Share of an object's pixels that must show for it to be labelled in the dataset.
MIN_VISIBLE = 0.35

# Real-world sizes in metres (length along the road x height); the ranges give variety.
SIZES = {
    "person": ((0.5, 0.65), (1.55, 1.85)),
    "car": ((4.0, 4.9), (1.4, 1.75)),
    "bus": ((10.0, 12.0), (2.9, 3.3)),
    "truck": ((6.5, 8.5), (2.9, 3.4)),
    "muck_truck": ((7.0, 8.6), (2.9, 3.3)),
    "muck_truck_uncovered": ((7.0, 8.6), (2.9, 3.3)),
}
# Relative frequency in random traffic.
TRAFFIC_WEIGHTS = {"car": 0.5, "bus": 0.12, "truck": 0.14, "muck_truck": 0.12, "muck_truck_uncovered": 0.12}

CAR_COLOURS = [(235, 235, 235), (30, 30, 30), (185, 185, 190), (40, 40, 170), (150, 80, 30), (110, 110, 115),
               (40, 110, 40), (30, 140, 210), (200, 200, 160), (60, 60, 120)]
BUS_COLOURS = [(40, 160, 60), (180, 110, 30), (40, 40, 190), (220, 220, 220), (30, 190, 230), (150, 150, 40)]
BOX_COLOURS = [(240, 240, 240), (200, 200, 200), (160, 90, 30), (50, 50, 180), (60, 140, 60), (220, 220, 240)]
# Chinese muck trucks: green, blue, yellow or orange dump beds with stiffening ribs.
BED_COLOURS = [(50, 130, 40), (150, 90, 20), (20, 170, 220), (20, 110, 230), (70, 150, 110)]
TARP_COLOURS = [(40, 90, 30), (130, 70, 20), (55, 60, 60), (60, 110, 70), (110, 60, 40)]
SOIL_COLOURS = [(45, 75, 115), (60, 95, 135), (110, 115, 120), (50, 90, 150), (80, 105, 125)]
SHIRT_COLOURS = [(40, 40, 180), (200, 120, 40), (230, 230, 230), (30, 30, 30), (40, 150, 40), (30, 180, 220),
                 (140, 60, 140), (120, 120, 120)]


# -- camera geometry ---------------------------------------------------------------------------

@dataclass
class Camera:
    horizon: float
    k: float                     # pixels per metre = k * (y - horizon)
    road_top: float              # far kerb y at the image centre
    road_bottom: float           # near kerb y at the image centre
    slope: float                 # the road's tilt in the image (dy/dx)
    crosswalk_x: float | None
    lanes: list = field(default_factory=list)

    def ppm(self, y):
        return max(0.5, self.k * (y - self.horizon))

    def along(self, y0, x):
        """y of a line parallel to the kerbs that is at y0 in the image centre."""
        return y0 + self.slope * (x - WIDTH / 2)

    def lane_y(self, lane, x):
        return self.along(self.lanes[lane]["y"], x)

    def near_walk_y(self, u):
        """Foot line on the near pavement, u in 0..1 from the kerb to the image bottom."""
        return self.road_bottom + 14 + u * (HEIGHT - 4 - self.road_bottom - 14)

    def as_dict(self):
        return {"width": WIDTH, "height": HEIGHT, "horizon": round(self.horizon, 2), "k": round(self.k, 5),
                "road_top": round(self.road_top, 2), "road_bottom": round(self.road_bottom, 2),
                "slope": round(self.slope, 5),
                "crosswalk_x": None if self.crosswalk_x is None else round(self.crosswalk_x, 2),
                "lanes": [dict(lane) for lane in self.lanes],
                "near_walk_y": [round(self.near_walk_y(0), 2), round(self.near_walk_y(1), 2)]}


def make_camera(rng) -> Camera:
    horizon = rng.uniform(55, 100)
    road_top = rng.uniform(172, 196)
    road_bottom = rng.uniform(298, 318)
    near_ppm = rng.uniform(14, 19)
    cam = Camera(horizon=horizon, k=near_ppm / (road_bottom - horizon), road_top=road_top, road_bottom=road_bottom,
                 slope=rng.uniform(-0.05, 0.05), crosswalk_x=rng.uniform(140, 500) if rng.random() < 0.6 else None)
    lane_w = (road_bottom - road_top) / 4
    # Far lanes flow right to left, near lanes left to right; feet sit low in each lane.
    cam.lanes = [{"index": i, "y": round(road_top + (i + 0.78) * lane_w, 2), "direction": -1 if i < 2 else 1}
                 for i in range(4)]
    return cam


def scene_geometry(seed) -> dict:
    """The camera of render_clip(seed=...): lanes, pavements and scale, to script scenarios."""
    return make_camera(np.random.default_rng([seed, 0])).as_dict()


# -- the empty street ------------------------------------------------------------------------------

def _texture(rng, shape, fine=1.0, coarse=8):
    h, w = shape
    t = transforms.gaussian_blur(rng.normal(0, 1, (h, w)).astype(np.float32), fine)
    b = transforms.resize(rng.normal(0, 1, (coarse, coarse * 2)).astype(np.float32), (w, h), interpolation="cubic")
    return t, b


def _band_mask(cam, y_top, y_bottom):
    ys = np.arange(HEIGHT, dtype=np.float32)[:, None]
    xs = np.arange(WIDTH, dtype=np.float32)[None, :]
    top = y_top + cam.slope * (xs - WIDTH / 2)
    bottom = y_bottom + cam.slope * (xs - WIDTH / 2)
    return (ys >= top) & (ys < bottom)


def _seg(img, p, q, colour, thickness=1):
    draw.line(img, (int(round(p[0])), int(round(p[1]))), (int(round(q[0])), int(round(q[1]))), colour, thickness,
              antialiased=True)


def draw_background(rng, cam) -> np.ndarray:
    img = np.zeros((HEIGHT, WIDTH, 3), np.float32)
    yy = np.arange(HEIGHT, dtype=np.float32)[:, None, None]
    top = np.array([rng.uniform(190, 235), rng.uniform(160, 200), rng.uniform(110, 160)], np.float32)
    low = np.array([rng.uniform(215, 245), rng.uniform(210, 235), rng.uniform(200, 230)], np.float32)
    img[:] = top + (low - top) * np.clip(yy / max(cam.horizon, 1), 0, 1)
    # Ground between the horizon and the far pavement: distant haze.
    haze = np.array([rng.uniform(120, 150)] * 3, np.float32) + rng.uniform(-10, 10, 3).astype(np.float32)
    img[int(cam.horizon):] = haze
    far_walk_top = cam.road_top - rng.uniform(14, 22)
    tex, blotch = _texture(rng, (HEIGHT, WIDTH))

    # Buildings stand on the far pavement's back edge; windows in a grid.
    x = rng.uniform(-40, 0)
    while x < WIDTH:
        w = rng.uniform(60, 180)
        base = cam.along(far_walk_top, x + w / 2) + 2
        h = cam.ppm(base) * rng.uniform(7, 30)
        colour = np.array([rng.uniform(90, 210), rng.uniform(90, 200), rng.uniform(90, 200)])
        if rng.random() < 0.3:  # brick
            colour = np.array([rng.uniform(50, 80), rng.uniform(70, 100), rng.uniform(130, 170)])
        x1, x2, y1 = int(x), int(x + w), int(base - h)
        draw.rectangle(img, (x1, y1), (x2, int(base)), tuple(float(c) for c in colour), draw.FILLED)
        win = colour * rng.uniform(0.45, 0.7) if rng.random() < 0.7 else np.array([rng.uniform(150, 200)] * 3)
        step_x, step_y = rng.uniform(12, 22), rng.uniform(12, 20)
        wx, wy = step_x * rng.uniform(0.4, 0.7), step_y * rng.uniform(0.4, 0.65)
        for cy in np.arange(y1 + 6, base - 14, step_y):
            for cx in np.arange(x1 + 5, x2 - wx - 3, step_x):
                draw.rectangle(img, (int(cx), int(cy)), (int(cx + wx), int(cy + wy)), tuple(float(c) for c in win),
                               draw.FILLED)
        if rng.random() < 0.4:  # shop sign
            sign = tuple(float(v) for v in rng.uniform(30, 240, 3))
            draw.rectangle(img, (x1 + 4, int(base - 14)), (x2 - 4, int(base - 8)), sign, draw.FILLED)
        x += w + rng.uniform(0, 30)

    # Far pavement with a kerb.
    walk = _band_mask(cam, far_walk_top, cam.road_top)
    pave = rng.uniform(150, 185)
    img[walk] = (pave + 8 * tex[walk] + 6 * blotch[walk])[:, None] * np.array([1.0, 0.98, 0.95], np.float32)

    # Asphalt: grey with grain and patches.
    road = _band_mask(cam, cam.road_top, cam.road_bottom)
    grey = rng.uniform(70, 105)
    asphalt = grey + 6 * tex + 7 * blotch
    img[road] = asphalt[road][:, None] * np.array([1.0, 1.0, rng.uniform(0.97, 1.04)], np.float32)
    for _ in range(int(rng.integers(0, 4))):  # repaired patches
        cx, cy = rng.uniform(0, WIDTH), rng.uniform(cam.road_top + 10, cam.road_bottom - 10)
        draw.ellipse(img, (int(cx), int(cy)), (int(rng.uniform(15, 50)), int(rng.uniform(4, 10))), (grey * 0.8,) * 3,
                     draw.FILLED, antialiased=True)

    # Near pavement.
    near = _band_mask(cam, cam.road_bottom, HEIGHT * 2)
    pave = rng.uniform(150, 190)
    img[near] = (pave + 7 * tex[near] + 5 * blotch[near])[:, None] * np.array([0.96, 0.98, 1.0], np.float32)
    for step in np.arange(rng.uniform(0, 40), WIDTH + 200, rng.uniform(30, 45)):  # paver joints
        _seg(img, (step, cam.along(cam.road_bottom + 6, step)), (step - 60, HEIGHT), (pave * 0.85,) * 3)

    # Kerbs, lane lines, the crossing.
    lane_w = (cam.road_bottom - cam.road_top) / 4
    for y0 in (cam.road_top, cam.road_bottom):
        _seg(img, (0, cam.along(y0, 0)), (WIDTH, cam.along(y0, WIDTH)), (205, 205, 205), 3)
    white, yellow = (225, 225, 225), (40, 190, 220)
    for i in (1, 3):
        y0 = cam.road_top + i * lane_w
        dash = cam.ppm(y0) * 3
        for x0 in np.arange(rng.uniform(-dash, 0), WIDTH, dash * 3):
            _seg(img, (x0, cam.along(y0, x0)), (x0 + dash, cam.along(y0, x0 + dash)), white, 2)
    y0 = cam.road_top + 2 * lane_w
    for d in (-2, 2):
        _seg(img, (0, cam.along(y0 + d, 0)), (WIDTH, cam.along(y0 + d, WIDTH)), yellow, 1)
    for y0 in (cam.road_top + 4, cam.road_bottom - 4):
        _seg(img, (0, cam.along(y0, 0)), (WIDTH, cam.along(y0, WIDTH)), white, 1)
    if cam.crosswalk_x is not None:
        for y0 in np.arange(cam.road_top + 5, cam.road_bottom - 5, lane_w / 3):
            half = cam.ppm(y0) * 1.6
            x0 = cam.crosswalk_x
            p = np.array([[x0 - half, cam.along(y0, x0 - half)], [x0 + half, cam.along(y0, x0 + half)],
                          [x0 + half, cam.along(y0 + lane_w / 6, x0 + half)],
                          [x0 - half, cam.along(y0 + lane_w / 6, x0 - half)]])
            draw.fill_polygons(img, [np.round(p).astype(np.int32)], (215, 215, 215), antialiased=True)

    # Trees on the far pavement and lamp posts: static clutter the detector must ignore.
    for _ in range(int(rng.integers(2, 6))):
        tx = rng.uniform(0, WIDTH)
        base = cam.along(cam.road_top - 4, tx)
        s = cam.ppm(base)
        _seg(img, (tx, base), (tx, base - 3 * s), (40, 60, 80), max(1, int(s * 0.3)))
        leaf = (rng.uniform(30, 60), rng.uniform(80, 130), rng.uniform(40, 80))
        for _ in range(6):
            c = (tx + rng.uniform(-1.5, 1.5) * s, base - s * rng.uniform(3.5, 5.5))
            draw.circle(img, (int(c[0]), int(c[1])), int(s * rng.uniform(0.9, 1.6)), leaf, draw.FILLED, antialiased=True)
    for _ in range(int(rng.integers(1, 4))):
        px = rng.uniform(0, WIDTH)
        base = cam.along(cam.road_bottom + rng.uniform(6, 12), px)
        s = cam.ppm(base)
        _seg(img, (px, base), (px, base - 7 * s), (70, 70, 75), max(2, int(s * 0.18)))
        _seg(img, (px, base - 7 * s), (px + 1.2 * s, base - 7.2 * s), (70, 70, 75), 2)
    return np.clip(img, 0, 255).astype(np.uint8)


# -- road users ---------------------------------------------------------------------------------

class _Canvas:
    """A sprite: colour and coverage drawn together, so the mask is exactly what was drawn."""

    def __init__(self, w, h):
        self.w, self.h = w, h
        self.img = np.zeros((h, w, 3), np.uint8)
        self.mask = np.zeros((h, w), np.uint8)

    def _pts(self, pts):
        return [np.round(np.asarray(pts, np.float64) * (self.w, self.h)).astype(np.int32)]

    def poly(self, pts, colour, cover=True):
        draw.fill_polygons(self.img, self._pts(pts), colour, antialiased=True)
        if cover:
            draw.fill_polygons(self.mask, self._pts(pts), 255, antialiased=True)

    def rect(self, x1, y1, x2, y2, colour, cover=True):
        self.poly([(x1, y1), (x2, y1), (x2, y2), (x1, y2)], colour, cover)

    def circle(self, cx, cy, r_px, colour, cover=True):
        c = (int(round(cx * self.w)), int(round(cy * self.h)))
        r = max(1, int(round(r_px)))
        draw.circle(self.img, c, r, colour, draw.FILLED, antialiased=True)
        if cover:
            draw.circle(self.mask, c, r, 255, draw.FILLED, antialiased=True)

    def line(self, p, q, colour, thickness=1, cover=True):
        a = (int(round(p[0] * self.w)), int(round(p[1] * self.h)))
        b = (int(round(q[0] * self.w)), int(round(q[1] * self.h)))
        draw.line(self.img, a, b, colour, max(1, int(thickness)), antialiased=True)
        if cover:
            draw.line(self.mask, a, b, 255, max(1, int(thickness)), antialiased=True)


def _pick(rng, seq):
    return seq[int(rng.integers(0, len(seq)))]


def _jitter(rng, colour, amount=18):
    return tuple(int(np.clip(c + rng.uniform(-amount, amount), 0, 255)) for c in colour)


def make_appearance(rng, cls) -> dict:
    """Everything random about one road user, drawn once so it looks the same in every frame."""
    (l0, l1), (h0, h1) = SIZES[cls]
    a = {"cls": cls, "length": rng.uniform(l0, l1), "height": rng.uniform(h0, h1),
         "wheel": (40, 40, 40), "hub": _jitter(rng, (150, 150, 150), 20), "glass": _jitter(rng, (90, 70, 50), 25)}
    if cls == "person":
        a.update(shirt=_jitter(rng, _pick(rng, SHIRT_COLOURS)), pants=_jitter(rng, _pick(rng, SHIRT_COLOURS[3:]), 25),
                 skin=_jitter(rng, (120, 150, 200), 20), hair=_jitter(rng, (30, 30, 40), 15), bag=rng.random() < 0.3)
    elif cls == "car":
        a.update(body=_jitter(rng, _pick(rng, CAR_COLOURS), 12), shape=_pick(rng, ["sedan", "hatch", "suv"]))
        if a["shape"] == "suv":
            a["height"] *= 1.12
    elif cls == "bus":
        a.update(body=_jitter(rng, _pick(rng, BUS_COLOURS), 12), stripe=_jitter(rng, _pick(rng, BOX_COLOURS), 20),
                 roof=_jitter(rng, (220, 220, 220), 15))
    elif cls == "truck":
        a.update(body=_jitter(rng, _pick(rng, BOX_COLOURS), 12), cab=_jitter(rng, _pick(rng, CAR_COLOURS), 12),
                 logo=rng.random() < 0.5, logo_colour=_jitter(rng, _pick(rng, BUS_COLOURS), 20))
    else:
        a.update(bed=_jitter(rng, _pick(rng, BED_COLOURS), 14), cab=_jitter(rng, _pick(rng, BED_COLOURS + [(230,) * 3]),
                                                                              14),
                 tarp=_jitter(rng, _pick(rng, TARP_COLOURS), 12), soil=_jitter(rng, _pick(rng, SOIL_COLOURS), 12),
                 heap=rng.uniform(0.12, 0.28, 7), tarp_rise=rng.uniform(0.1, 0.2), gravel_seed=int(rng.integers(0, 2 ** 31)))
    return a


def _wheels(c, a, xs, r_frac):
    r = r_frac * c.h
    for x in xs:
        c.circle(x, 1 - r_frac, r, a["wheel"])
        c.circle(x, 1 - r_frac, r * 0.45, a["hub"])


def _draw_car(c, a):
    body, glass = a["body"], a["glass"]
    shade = tuple(int(v * 0.7) for v in body)
    roof_front, roof_back = {"sedan": (0.68, 0.32), "hatch": (0.66, 0.14), "suv": (0.74, 0.08)}[a["shape"]]
    c.poly([(0.01, 0.42), (roof_back - 0.1, 0.38), (roof_back, 0.04), (roof_front, 0.04), (roof_front + 0.12, 0.38),
            (0.98, 0.45), (1.0, 0.78), (0.99, 0.84), (0.01, 0.84), (0.0, 0.6)], body)
    c.line((0.02, 0.62), (0.98, 0.62), shade, max(1, c.h * 0.04))
    mid = (roof_back + roof_front) / 2
    c.poly([(roof_back + 0.02, 0.1), (mid - 0.01, 0.1), (mid - 0.01, 0.38), (roof_back - 0.06, 0.38)], glass)
    c.poly([(mid + 0.01, 0.1), (roof_front - 0.01, 0.1), (roof_front + 0.09, 0.38), (mid + 0.01, 0.38)], glass)
    c.rect(0.94, 0.48, 0.99, 0.56, (200, 240, 250))
    c.rect(0.0, 0.46, 0.03, 0.56, (30, 30, 200))
    _wheels(c, a, (0.19, 0.8), 0.2)


def _draw_bus(c, a):
    body = a["body"]
    c.poly([(0.0, 0.06), (0.02, 0.02), (0.97, 0.02), (1.0, 0.08), (1.0, 0.88), (0.0, 0.88)], body)
    c.rect(0.01, 0.02, 0.98, 0.06, a["roof"])
    c.rect(0.02, 0.15, 0.86, 0.46, a["glass"])
    for x in np.arange(0.12, 0.86, 0.1):
        c.line((x, 0.15), (x, 0.46), body, max(1, c.w * 0.006))
    c.rect(0.93, 0.1, 1.0, 0.6, a["glass"])
    c.rect(0.86, 0.18, 0.92, 0.85, tuple(int(v * 0.55) for v in body))
    c.rect(0.3, 0.18, 0.35, 0.85, tuple(int(v * 0.55) for v in body))
    c.rect(0.0, 0.58, 1.0, 0.64, a["stripe"])
    c.rect(0.97, 0.7, 1.0, 0.76, (200, 240, 250))
    _wheels(c, a, (0.14, 0.8), 0.15)


def _cab(c, a, colour):
    c.poly([(0.78, 0.28), (0.93, 0.28), (1.0, 0.5), (1.0, 0.86), (0.78, 0.86)], colour)
    c.poly([(0.86, 0.33), (0.93, 0.33), (0.98, 0.52), (0.86, 0.52)], a["glass"])
    c.rect(0.97, 0.66, 1.0, 0.72, (200, 240, 250))


def _draw_truck(c, a):
    c.rect(0.0, 0.0, 0.76, 0.8, a["body"])
    edge = tuple(int(v * 0.75) for v in a["body"])
    c.line((0.0, 0.01), (0.76, 0.01), edge, max(1, c.h * 0.03))
    c.line((0.74, 0.0), (0.74, 0.8), edge, max(1, c.w * 0.008))
    if a["logo"]:
        c.rect(0.1, 0.3, 0.6, 0.48, a["logo_colour"])
    _cab(c, a, a["cab"])
    c.rect(0.0, 0.8, 1.0, 0.86, (45, 45, 45))
    _wheels(c, a, (0.12, 0.25, 0.87), 0.15)


def _draw_muck(c, a, covered):
    bed = a["bed"]
    rim = 0.36
    # The heaped load or the tarp goes first: the bed's walls hide their lower part.
    if covered:
        # A taut cover roughly as high as a heap would be: the class shows in colour and texture.
        top = rim - a["tarp_rise"]
        c.poly([(0.01, rim + 0.02), (0.06, top), (0.69, top), (0.75, rim + 0.02)], a["tarp"])
        rope = tuple(int(v * 0.4) for v in a["tarp"])
        for x in np.arange(0.06, 0.7, 0.09):
            c.line((x, top + 0.01), (x + 0.07, rim), rope, max(1, c.h * 0.025), cover=False)
            c.line((x + 0.07, top + 0.01), (x, rim), rope, max(1, c.h * 0.025), cover=False)
        c.line((0.06, top + 0.01), (0.69, top + 0.01), rope, max(1, c.h * 0.03), cover=False)
    else:
        xs = np.linspace(0.02, 0.74, len(a["heap"]))
        top = [(float(x), rim - float(hh)) for x, hh in zip(xs, a["heap"])]
        c.poly([(0.02, rim + 0.02)] + top + [(0.74, rim + 0.02)], a["soil"])
        g = np.random.default_rng(a["gravel_seed"])
        light = tuple(min(255, int(v * 1.4)) for v in a["soil"])
        dark = tuple(int(v * 0.6) for v in a["soil"])
        for _ in range(int(10 + c.w * 0.3)):
            x = g.uniform(0.05, 0.72)
            y = g.uniform(rim - min(a["heap"]) * 0.8, rim)
            c.circle(x, y, max(1, c.h * 0.02), light if g.random() < 0.5 else dark, cover=False)
    c.poly([(0.0, rim), (0.76, rim), (0.74, 0.8), (0.03, 0.8)], bed)
    rib = tuple(int(v * 0.6) for v in bed)
    for x in np.arange(0.08, 0.72, 0.1):
        c.line((x, rim), (x, 0.8), rib, max(1, c.w * 0.008))
    c.line((0.0, rim + 0.02), (0.76, rim + 0.02), tuple(min(255, int(v * 1.3)) for v in bed), max(1, c.h * 0.03))
    _cab(c, a, a["cab"])
    c.rect(0.0, 0.8, 1.0, 0.86, (45, 45, 45))
    _wheels(c, a, (0.1, 0.22, 0.55, 0.88), 0.14)


def _draw_person(c, a, phase):
    stride = 0.28 * math.sin(phase)
    c.line((0.42, 0.55), (0.42 + stride, 0.98), a["pants"], c.w * 0.22)
    c.line((0.58, 0.55), (0.58 - stride, 0.98), a["pants"], c.w * 0.22)
    c.line((0.3, 0.22), (0.3 - stride * 0.8, 0.55), a["skin"], c.w * 0.14)
    c.line((0.7, 0.22), (0.7 + stride * 0.8, 0.55), a["skin"], c.w * 0.14)
    c.poly([(0.22, 0.18), (0.78, 0.18), (0.74, 0.58), (0.26, 0.58)], a["shirt"])
    if a["bag"]:
        c.rect(0.68, 0.3, 0.92, 0.5, (40, 60, 90))
    c.circle(0.5, 0.09, c.h * 0.075, a["skin"])
    c.circle(0.5, 0.065, c.h * 0.06, a["hair"])


def draw_sprite(a, ppm, direction=1, phase=0.0):
    """(bgr, alpha 0..1) of one road user, facing right when direction > 0, feet on the bottom row."""
    w = max(3, int(round(a["length"] * ppm)))
    h = max(4, int(round(a["height"] * ppm)))
    c = _Canvas(w, h)
    cls = a["cls"]
    if cls == "person":
        _draw_person(c, a, phase)
    elif cls == "car":
        _draw_car(c, a)
    elif cls == "bus":
        _draw_bus(c, a)
    elif cls == "truck":
        _draw_truck(c, a)
    else:
        _draw_muck(c, a, covered=cls == "muck_truck")
    img, mask = c.img, c.mask
    if direction < 0:
        img, mask = img[:, ::-1], mask[:, ::-1]
    return np.ascontiguousarray(img), mask.astype(np.float32) / 255.0


@dataclass
class Placed:
    """One road user in one frame: where its feet are and how it faces."""
    id: int
    cls: str
    appearance: dict
    x: float
    y: float
    direction: int = 1
    phase: float = 0.0


def compose(background, cam, placed: list[Placed]):
    """Draw the road users far to near on a copy of the background; returns (frame, objects)."""
    frame = background.astype(np.float32)
    owner = np.full((HEIGHT, WIDTH), -1, np.int32)
    drawn = []
    for i, p in enumerate(sorted(placed, key=lambda p: (p.y, p.id))):
        ppm = cam.ppm(p.y)
        sprite, alpha = draw_sprite(p.appearance, ppm, p.direction, p.phase)
        h, w = alpha.shape
        x0, y0 = int(round(p.x - w / 2)), int(round(p.y - h))
        # A soft shadow on the ground under vehicles (not part of the object's box).
        if p.cls != "person":
            shadow = np.zeros((HEIGHT, WIDTH), np.float32)
            draw.ellipse(shadow, (int(round(p.x)), int(round(p.y - 1))), (int(w * 0.52), max(2, int(ppm * 0.25))), 0.45,
                         draw.FILLED, antialiased=True)
            frame *= (1 - shadow)[..., None]
        solid = alpha > 0.5
        ys, xs = np.nonzero(solid)
        if len(xs) == 0:
            continue
        fx1, fy1, fx2, fy2 = max(0, x0), max(0, y0), min(WIDTH, x0 + w), min(HEIGHT, y0 + h)
        if fx1 >= fx2 or fy1 >= fy2:
            continue
        sa = alpha[fy1 - y0:fy2 - y0, fx1 - x0:fx2 - x0]
        ss = sprite[fy1 - y0:fy2 - y0, fx1 - x0:fx2 - x0].astype(np.float32)
        region = frame[fy1:fy2, fx1:fx2]
        region[:] = region * (1 - sa[..., None]) + ss * sa[..., None]
        owner[fy1:fy2, fx1:fx2][sa > 0.5] = i
        # Tight box: the object's own drawn pixels (occluders do not shrink it), clipped to the frame.
        box = [max(0, x0 + int(xs.min())), max(0, y0 + int(ys.min())),
               min(WIDTH, x0 + int(xs.max()) + 1), min(HEIGHT, y0 + int(ys.max()) + 1)]
        drawn.append((i, p, float(len(xs)), box))
    out = []
    for i, p, total, box in drawn:
        if box[2] - box[0] < 2 or box[3] - box[1] < 2:
            continue
        visible = float((owner[box[1]:box[3], box[0]:box[2]] == i).sum()) / total
        out.append({"id": p.id, "cls": p.cls, "box": box, "foot": [round(p.x, 2), round(p.y, 2)],
                    "visible": round(visible, 3)})
    return frame, out


def finish(frame, look, rng, *, jpeg_quality=None):
    """Lighting, sensor noise, blur (and JPEG for stills) on a float32 frame; returns uint8 BGR."""
    img = np.clip(frame, 0, 255) / 255.0
    img = np.power(img, look["gamma"]) * look["gain"] * np.asarray(look["tint"], np.float32)
    img = img * 255.0 + rng.normal(0, look["noise"], img.shape).astype(np.float32)
    if look["blur"] > 0:
        img = transforms.gaussian_blur(img, look["blur"])
    out = np.clip(np.round(img), 0, 255).astype(np.uint8)
    if jpeg_quality:
        out = images.decode_bgr(images.encode_jpeg(out, jpeg_quality))
    return out


def make_look(rng) -> dict:
    """Time of day and camera quality: dull dusk to bright noon, warm or cool, sharp or soft."""
    return {"gain": float(rng.uniform(0.6, 1.15)), "gamma": float(rng.uniform(0.85, 1.2)),
            "tint": [float(v) for v in rng.uniform(0.9, 1.1, 3)], "noise": float(rng.uniform(1.5, 5.0)),
            "blur": float(_pick(rng, [0.0, 0.5, 0.8]))}


# -- trajectories -----------------------------------------------------------------------------------

class _LaneMotion:
    """Position along a lane: x = x_start + dir * v * (M(t) - M(t0)), M the lane's shared
    time warp (1 + a sin) so that followers no faster than their leader never close the gap."""

    def __init__(self, amp, period, phi):
        self.amp, self.period, self.phi = amp, period, phi

    def warp(self, t):
        if not self.amp:
            return t
        w = 2 * math.pi / self.period
        return t - self.amp / w * (math.cos(w * t + self.phi) - math.cos(self.phi))


@dataclass
class Mover:
    id: int
    cls: str
    appearance: dict
    kind: str                    # "lane" | "keys"
    lane: int = 0
    t0: float = 0.0
    speed: float = 0.0           # px/s (at the lane's warp rate 1)
    x_start: float = 0.0
    direction: int = 1
    motion: _LaneMotion | None = None
    keys: list = field(default_factory=list)  # [(t, x, y)]
    stride_px: float = 1.0

    def at(self, t, cam):
        """Placed or None when it is not on screen (or not yet / no longer in the scene)."""
        if self.kind == "keys":
            ks = self.keys
            if t < ks[0][0] - 1e-9 or t > ks[-1][0] + 1e-9:
                return None
            j = max(0, min(len(ks) - 2, int(np.searchsorted([k[0] for k in ks], t, side="right")) - 1))
            (ta, xa, ya), (tb, xb, yb) = ks[j], ks[j + 1] if len(ks) > 1 else ks[j]
            u = 0.0 if tb == ta else min(1.0, max(0.0, (t - ta) / (tb - ta)))
            x, y = xa + (xb - xa) * u, ya + (yb - ya) * u
            walked = sum(math.hypot(ks[i + 1][1] - ks[i][1], ks[i + 1][2] - ks[i][2]) for i in range(j))
            walked += math.hypot(x - xa, y - ya)
            direction = self.direction
            if not direction:
                dx = next((k2[1] - k1[1] for k1, k2 in zip(ks[j:], ks[j + 1:]) if k2[1] != k1[1]), 1.0)
                direction = 1 if dx >= 0 else -1
        else:
            if t < self.t0:
                return None
            walked = self.speed * (self.motion.warp(t) - self.motion.warp(self.t0))
            x = self.x_start + self.direction * walked
            y = cam.lane_y(self.lane, x)
            direction = self.direction
        half = self.appearance["length"] * cam.ppm(y) / 2
        if x + half < 0 or x - half > WIDTH:
            return None
        return Placed(self.id, self.cls, self.appearance, x, y, direction, walked / max(self.stride_px, 1e-6) * math.pi)


def _walk_speed_px(cam, y, rng):
    return cam.ppm(y) * rng.uniform(1.0, 1.6)


def random_traffic(rng, cam, seconds, first_id=1) -> list[Mover]:
    """Vehicles in all four lanes (some already on screen at t=0), walkers on the near pavement
    and a few people on the zebra crossing."""
    movers, next_id = [], first_id
    classes, weights = list(TRAFFIC_WEIGHTS), np.array(list(TRAFFIC_WEIGHTS.values()))
    for lane in cam.lanes:
        amp = float(rng.uniform(0, 0.4)) if rng.random() < 0.6 else 0.0
        motion = _LaneMotion(amp, float(rng.uniform(4, 10)), float(rng.uniform(0, 2 * math.pi)))
        base = cam.ppm(lane["y"]) * rng.uniform(6, 11)
        d = lane["direction"]
        t, lead = -12.0, None
        while t < seconds:
            t += rng.exponential(3.5) + 0.8
            cls = classes[int(rng.choice(len(classes), p=weights / weights.sum()))]
            app = make_appearance(rng, cls)
            ppm = cam.ppm(lane["y"])
            half = app["length"] * ppm / 2
            speed = base * rng.uniform(0.8, 1.0)
            if lead is not None:
                speed = min(speed, lead.speed)
            m = Mover(next_id, cls, app, "lane", lane=lane["index"], t0=t, speed=speed,
                      x_start=-half if d > 0 else WIDTH + half, direction=d, motion=motion)
            if lead is not None:
                lp = lead.speed * (motion.warp(t) - motion.warp(lead.t0))
                gap = lp - (lead.appearance["length"] * ppm / 2 + half)
                if gap < ppm * 2.5:
                    continue
            movers.append(m)
            lead = m
            next_id += 1
    n_walk = int(rng.integers(2, 6))
    for _ in range(n_walk):
        u = float(rng.uniform(0, 1))
        y = cam.near_walk_y(u)
        d = 1 if rng.random() < 0.5 else -1
        app = make_appearance(rng, "person")
        half = app["length"] * cam.ppm(y) / 2
        t0 = float(rng.uniform(-20, seconds))
        speed = _walk_speed_px(cam, y, rng)
        x0 = -half if d > 0 else WIDTH + half
        t_end = t0 + (WIDTH + 2 * half) / speed
        keys = [(t0, x0, y), (t_end, x0 + d * (WIDTH + 2 * half), y)]
        movers.append(Mover(next_id, "person", app, "keys", keys=keys, direction=d,
                            stride_px=cam.ppm(y) * 0.7))
        next_id += 1
    if cam.crosswalk_x is not None:
        for _ in range(int(rng.integers(0, 3))):
            app = make_appearance(rng, "person")
            x = cam.crosswalk_x + rng.uniform(-1, 1) * cam.ppm(cam.road_bottom)
            y_from, y_to = cam.near_walk_y(0.1), cam.along(cam.road_top - 3, x)
            t0 = float(rng.uniform(-5, seconds))
            speed = cam.ppm((y_from + y_to) / 2) * rng.uniform(1.0, 1.4) * 0.5  # foreshortened
            keys = [(t0, x, y_from), (t0 + (y_from - y_to) / speed, x, y_to)]
            movers.append(Mover(next_id, "person", app, "keys", keys=keys, direction=1 if rng.random() < 0.5 else -1,
                                stride_px=cam.ppm(y_from) * 0.35))
            next_id += 1
    return movers


def scripted(scenario, cam, seed) -> list[Mover]:
    """Movers from scenario["objects"]: each {"id"?, "cls", and either "keys": [[t, x, y], ...]
    (foot positions, linear between keys, absent outside them) or "lane": index with "t0" (s),
    "speed" (px/s) and optional "x0" (default: just off the lane's entry edge), "direction"
    (default: the lane's) and "speed_amp"/"speed_period" (a sinusoidal speed change)}."""
    movers = []
    for n, spec in enumerate(scenario.get("objects", [])):
        cls = spec.get("cls")
        if cls not in CLASSES:
            raise ValueError(f"scenario object {n}: cls must be one of {', '.join(CLASSES)}, not {cls!r}")
        oid = int(spec.get("id", 10_000 + n))
        app = make_appearance(np.random.default_rng([seed, 2, oid]), cls)
        if "keys" in spec:
            keys = [tuple(float(v) for v in k) for k in spec["keys"]]
            if not keys or any(len(k) != 3 for k in keys) or any(b[0] < a[0] for a, b in zip(keys, keys[1:])):
                raise ValueError(f"scenario object {n}: keys must be [[t, x, y], ...] with t not decreasing")
            movers.append(Mover(oid, cls, app, "keys", keys=keys, direction=int(spec.get("direction", 0)),
                                stride_px=cam.ppm(keys[0][2]) * 0.7))
        elif "lane" in spec:
            lane = int(spec["lane"])
            if not 0 <= lane < len(cam.lanes):
                raise ValueError(f"scenario object {n}: lane must be 0..{len(cam.lanes) - 1}")
            d = int(spec.get("direction", cam.lanes[lane]["direction"]))
            half = app["length"] * cam.ppm(cam.lanes[lane]["y"]) / 2
            x0 = float(spec.get("x0", -half if d > 0 else WIDTH + half))
            motion = _LaneMotion(float(spec.get("speed_amp", 0.0)), float(spec.get("speed_period", 6.0)), 0.0)
            movers.append(Mover(oid, cls, app, "lane", lane=lane, t0=float(spec.get("t0", 0.0)),
                                speed=float(spec["speed"]), x_start=x0, direction=d, motion=motion))
        else:
            raise ValueError(f"scenario object {n}: give either keys or lane")
    return movers


# -- clips -----------------------------------------------------------------------------------------

def iter_clip(*, seconds, fps=10, seed=0, scenario=None):
    """Yields (frame_bgr, {"frame", "t", "objects"}) without writing a file. scenario: None for
    random traffic, or {"objects": [...] (see scripted), "random_traffic": False}."""
    if seconds <= 0 or fps <= 0:
        raise ValueError("seconds and fps must be positive")
    cam = make_camera(np.random.default_rng([seed, 0]))
    background = draw_background(np.random.default_rng([seed, 0]), cam)
    look = make_look(np.random.default_rng([seed, 4]))
    look["blur"] = min(look["blur"], 0.5)  # MJPG already softens
    movers = []
    if scenario is None or scenario.get("random_traffic", False):
        movers += random_traffic(np.random.default_rng([seed, 1]), cam, seconds, first_id=1)
    if scenario is not None:
        movers += scripted(scenario, cam, seed)
    for f in range(int(round(seconds * fps))):
        t = f / fps
        placed = [p for p in (m.at(t, cam) for m in movers) if p is not None]
        frame, objects = compose(background, cam, placed)
        yield finish(frame, look, np.random.default_rng([seed, 3, f])), {"frame": f, "t": round(t, 4),
                                                                       "objects": objects}


def render_clip(path, *, seconds, fps=10, seed=0, scenario=None) -> dict:
    """Write an MJPG .avi of the street and return {"path", "fps", "width", "height", "camera",
    "frames": [{"frame", "t", "objects": [{"id", "cls", "box", "foot", "visible"}]}]}."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = video.mjpg_writer(path, fps, (WIDTH, HEIGHT))
    frames = []
    try:
        for frame, gt in iter_clip(seconds=seconds, fps=fps, seed=seed, scenario=scenario):
            writer.write(frame)
            frames.append(gt)
    finally:
        writer.release()
    return {"path": str(path), "fps": fps, "width": WIDTH, "height": HEIGHT,
            "camera": scene_geometry(seed), "frames": frames}


# -- the detection dataset -----------------------------------------------------------------------

def _place_still(rng, cam, classes, first_id=1) -> list[Placed]:
    """Put the requested road users in free spots of the lanes and pavement (no two vehicles
    overlapping in a lane; people may be in front of vehicles)."""
    placed, used = [], {i: [] for i in range(len(cam.lanes))}
    for n, cls in enumerate(classes):
        app = make_appearance(rng, cls)
        for _ in range(25):
            if cls == "person":
                where = rng.random()
                if where < 0.7 or cam.crosswalk_x is None:
                    y = cam.near_walk_y(float(rng.uniform(0, 1)))
                    x = rng.uniform(0, WIDTH)
                else:
                    x = cam.crosswalk_x + rng.uniform(-1, 1) * cam.ppm(cam.road_bottom)
                    y = rng.uniform(cam.along(cam.road_top + 10, x), cam.near_walk_y(0.3))
                placed.append(Placed(first_id + n, cls, app, x, y, 1 if rng.random() < 0.5 else -1,
                                     float(rng.uniform(0, 2 * math.pi))))
                break
            lane = int(rng.integers(0, len(cam.lanes)))
            ppm = cam.ppm(cam.lanes[lane]["y"])
            half = app["length"] * ppm / 2
            x = rng.uniform(-half * 0.5, WIDTH + half * 0.5)
            if any(abs(x - ox) < half + oh + ppm for ox, oh in used[lane]):
                continue
            used[lane].append((x, half))
            placed.append(Placed(first_id + n, cls, app, x, cam.lane_y(lane, x), cam.lanes[lane]["direction"]))
            break
    return placed


def generate_dataset(out_dir, *, n_images, seed=0, empty_fraction=0.1) -> dict:
    """Write out_dir/annotations.json and out_dir/images/street_NNNN.jpg (COCO; category ids are
    positions in CLASSES + 1). Each image is a fresh camera, street and lighting; a shuffled deck
    deals classes evenly (muck trucks as often as buses), 1-7 road users per image;
    round(n_images * empty_fraction) images show an empty street. Objects less than
    MIN_VISIBLE shown (hidden or out of frame) are not labelled."""
    if n_images < 1:
        raise ValueError("n_images must be at least 1")
    if not 0 <= empty_fraction <= 1:
        raise ValueError("empty_fraction must be between 0 and 1")
    out = Path(out_dir)
    (out / "images").mkdir(parents=True, exist_ok=True)
    # Cars are the commonest road user: two per round.
    counts, deck = deal(np.random.default_rng(seed), n_images, CLASSES, blank_fraction=empty_fraction,
                        most_per_image=7, extra_per_round=("car",))
    coco, per_class, dealt = CocoWriter(), {c: 0 for c in CLASSES}, 0
    for i in range(n_images):
        classes = deck[dealt:dealt + counts[i]]
        dealt += counts[i]
        rng = np.random.default_rng([seed, i])
        cam = make_camera(rng)
        background = draw_background(rng, cam)
        frame, objects = compose(background, cam, _place_still(rng, cam, classes))
        img = finish(frame, make_look(rng), rng, jpeg_quality=int(rng.integers(60, 93)))
        name = f"street_{i:04d}.jpg"
        if not images.write_jpeg(out / "images" / name, img, 95):
            raise OSError(f"could not write {out / 'images' / name}")
        image_id = coco.add_image(name, WIDTH, HEIGHT)
        for o in objects:
            x1, y1, x2, y2 = o["box"]
            if o["visible"] < MIN_VISIBLE or x2 - x1 < 3 or y2 - y1 < 3:
                continue
            per_class[o["cls"]] += 1
            coco.add_box(image_id, CATEGORY_IDS[o["cls"]], x1, y1, x2 - x1, y2 - y1)
    ann_path = coco.write(out / "annotations.json",
                          info={"description": "synthetic street-camera images of road users incl. muck trucks",
                                "version": "1", "generator": "verticals.city.lib.synth.traffic", "seed": seed},
                          categories=[{"id": CATEGORY_IDS[c], "name": c,
                                       "supercategory": "person" if c == "person" else "vehicle"} for c in CLASSES])
    return {"path": str(out), "annotations": str(ann_path), "num_images": n_images,
            "num_annotations": len(coco.annotations), "empty_images": coco.unlabelled_images, "per_class": per_class,
            "categories": list(CLASSES)}
