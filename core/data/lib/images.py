"""Decoding uploaded images to learn their real size. No Django; Pillow only."""
from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from .coco import ImageUnreadable

# Formats a detector's loader (OpenCV) reads too. Listing them also keeps Pillow away from
# plugins such as EPS, which would hand an uploaded file to Ghostscript.
ALLOWED_FORMATS = ("PNG", "JPEG", "BMP", "TIFF", "WEBP")
# Pillow's own decompression-bomb error threshold.
DEFAULT_MAX_PIXELS = 2 * 89_478_485


def decoded_size(data: bytes, *, max_pixels=DEFAULT_MAX_PIXELS) -> tuple[int, int]:
    """(width, height) of an image after a full decode; ImageUnreadable with a reason otherwise.
    verify() catches broken chunks and checksums, load() catches truncated pixel data:
    a file that passes both will not fail later inside a trainer's data loader."""
    try:
        with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as im:
            w, h = im.size
            if w * h > max_pixels:
                raise ImageUnreadable(f"is {w}x{h} pixels, more than the {max_pixels} allowed")
            im.verify()
        with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as im:
            im.load()
            return im.size
    except ImageUnreadable:
        raise
    except UnidentifiedImageError:
        raise ImageUnreadable("not a decodable image (expected PNG, JPEG, BMP, TIFF or WebP)") from None
    except Image.DecompressionBombError as exc:
        raise ImageUnreadable(f"refused as a decompression bomb: {exc}") from None
    except Exception as exc:  # Pillow raises many types for damaged files; the reason is what matters
        raise ImageUnreadable(f"not a decodable image ({exc})") from None
