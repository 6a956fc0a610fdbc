"""Image files: reading, writing, encoding and decoding (BGR, as OpenCV keeps colour)."""
import numpy as np

from . import cv


def read_bgr(path):
    """The image at path as uint8 BGR, or None when it is missing or cannot be decoded."""
    cv2 = cv()
    return cv2.imread(str(path), cv2.IMREAD_COLOR)


def decode_bgr(data):
    """An image file's bytes as uint8 BGR, or None when they are not a decodable image."""
    cv2 = cv()
    return cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_COLOR)


def encode_jpeg(image, quality) -> bytes | None:
    """The image as a JPEG file's bytes at quality 0-100, or None when OpenCV cannot encode it."""
    cv2 = cv()
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    return buf.tobytes() if ok else None


def encode_png(image) -> bytes | None:
    """The image as a PNG file's bytes (OpenCV's default compression), or None when it cannot."""
    ok, buf = cv().imencode(".png", image)
    return buf.tobytes() if ok else None


def write_jpeg(path, image, quality) -> bool:
    """Write the image as a JPEG at quality 0-100; False when OpenCV could not."""
    cv2 = cv()
    return bool(cv2.imwrite(str(path), image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)]))


def write_png(path, image, compression) -> bool:
    """Write the image as a PNG at zlib level 0-9 (lossless whatever the level); False when OpenCV could not."""
    cv2 = cv()
    return bool(cv2.imwrite(str(path), image, [cv2.IMWRITE_PNG_COMPRESSION, int(compression)]))
