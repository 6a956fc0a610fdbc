"""OpenCV's one home. The frameworks-load-late contract (.importlinter) lets only the
inference backends (and the training child) import cv2, so that nothing loads it by accident:
not django.setup(), not the web process, not a module that only needs a picture's bytes. The
rest of the code calls the small functions of images, transforms, draw, video and masks.

Every function imports cv2 when it is called (cv()), never at import: importing any module
here costs nothing, so callers import them at their top. Nothing here imports Django or app
code either, so a pure lib/ module may use it without breaking lib-is-pure."""


def cv():
    """The cv2 module, imported on first use (Python caches it after that)."""
    import cv2

    return cv2


def missing() -> str | None:
    """None when OpenCV can be imported on this host, else the reason it cannot."""
    try:
        cv()
    except ImportError:
        return "OpenCV (cv2) is not installed"
    return None
