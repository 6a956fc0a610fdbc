"""Whole-image transforms: colour conversion, resizing, blurring."""
from . import cv

# The resampling a caller names, by OpenCV's constant: "area" to shrink without aliasing,
# "cubic" to enlarge smoothly.
_INTERPOLATION = {"nearest": "INTER_NEAREST", "linear": "INTER_LINEAR", "cubic": "INTER_CUBIC",
                  "area": "INTER_AREA"}


def bgr_to_rgb(image):
    cv2 = cv()
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def bgr_to_grey(image):
    cv2 = cv()
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def resize(image, size, *, interpolation):
    """The image resampled to size = (width, height) with interpolation "nearest", "linear",
    "cubic" or "area"."""
    cv2 = cv()
    return cv2.resize(image, tuple(size), interpolation=getattr(cv2, _INTERPOLATION[interpolation]))


def gaussian_blur(image, sigma, sigma_y=0):
    """Gaussian blur with standard deviation sigma px (along y: sigma_y, 0 meaning the same);
    the kernel size follows from the sigmas."""
    return cv().GaussianBlur(image, (0, 0), sigma, sigmaY=sigma_y)
