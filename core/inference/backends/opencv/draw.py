"""Drawing on an image in place (points are integer (x, y) pixels, colours one value per
channel). A thickness of FILLED fills the shape; antialiased draws smooth edges (OpenCV's
LINE_AA) instead of 8-connected ones."""
from . import cv

FILLED = -1


def _line_type(cv2, antialiased):
    return cv2.LINE_AA if antialiased else cv2.LINE_8


def line(image, p, q, colour, thickness=1, *, antialiased=False):
    cv2 = cv()
    cv2.line(image, p, q, colour, thickness, _line_type(cv2, antialiased))


def rectangle(image, p, q, colour, thickness=1, *, antialiased=False):
    """The axis-aligned rectangle with opposite corners p and q (both inclusive)."""
    cv2 = cv()
    cv2.rectangle(image, p, q, colour, thickness, _line_type(cv2, antialiased))


def circle(image, centre, radius, colour, thickness=1, *, antialiased=False):
    cv2 = cv()
    cv2.circle(image, centre, radius, colour, thickness, _line_type(cv2, antialiased))


def ellipse(image, centre, axes, colour, thickness=1, *, antialiased=False):
    """The whole axis-aligned ellipse with half-axes axes = (along x, along y)."""
    cv2 = cv()
    cv2.ellipse(image, centre, axes, 0, 0, 360, colour, thickness, _line_type(cv2, antialiased))


def fill_polygons(image, polygons, colour, *, antialiased=False):
    """Fill each polygon of polygons (int32 arrays of (x, y) vertices)."""
    cv2 = cv()
    cv2.fillPoly(image, polygons, colour, _line_type(cv2, antialiased))


def polylines(image, lines, colour, thickness=1, *, closed=False, antialiased=False):
    """Stroke each of lines (int32 arrays of (x, y) vertices), closed back to its start if asked."""
    cv2 = cv()
    cv2.polylines(image, lines, closed, colour, thickness, _line_type(cv2, antialiased))
