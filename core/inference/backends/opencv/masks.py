"""Binary masks (uint8, 0 and 255 or 0 and 1): thresholding, morphology, and the blobs in them."""
import numpy as np

from . import cv

# The column of connected_components' stats that holds a blob's area (cv2.CC_STAT_AREA); the
# others are x, y, width, height.
AREA = 4


def above(image, level):
    """255 where image > level, else 0."""
    cv2 = cv()
    return cv2.threshold(image, level, 255, cv2.THRESH_BINARY)[1]


def ellipse_kernel(px):
    """A px x px elliptical structuring element for opened and closed."""
    cv2 = cv()
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (px, px))


def opened(mask, kernel):
    """The mask with blobs smaller than kernel removed (erode, then dilate)."""
    cv2 = cv()
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)


def closed(mask, kernel):
    """The mask with gaps smaller than kernel filled (dilate, then erode)."""
    cv2 = cv()
    return cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel)


def outer_boxes(mask) -> list[tuple[int, int, int, int]]:
    """(x, y, width, height) of each blob's outer contour, in OpenCV's contour order."""
    cv2 = cv()
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return [cv2.boundingRect(contour) for contour in contours]


def connected_components(mask):
    """(count, labels, stats) of the 8-connected blobs of a 0/1 mask: label 0 is the background,
    stats one row per label of x, y, width, height and AREA."""
    count, labels, stats, _ = cv().connectedComponentsWithStats(np.asarray(mask, dtype=np.uint8), connectivity=8)
    return count, labels, stats
