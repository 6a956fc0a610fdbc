"""core.inference.backends.opencv, OpenCV's one home (the frameworks-load-late contract)."""
import subprocess
import sys

import cv2
import numpy as np

from core.inference.backends import opencv
from core.inference.backends.opencv import draw, images, masks, transforms, video

MODULES = ["images", "transforms", "draw", "video", "masks"]


def test_importing_the_home_loads_no_opencv_until_a_function_is_called():
    # A pure lib/ module imports these at its top; that must not load cv2 into django.setup().
    code = (f"import sys; import core.inference.backends.opencv as h; from core.inference.backends.opencv import "
            f"{', '.join(MODULES)}; print('BEFORE', 'cv2' in sys.modules); h.cv(); print('AFTER', 'cv2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "BEFORE False" in out.stdout and "AFTER True" in out.stdout, out.stdout


def test_opencv_is_there_and_the_constants_match_its_own():
    assert opencv.missing() is None
    assert masks.AREA == cv2.CC_STAT_AREA and draw.FILLED == cv2.FILLED


def test_png_round_trips_exactly_and_jpeg_is_a_jpeg(tmp_path):
    image = np.random.default_rng(0).integers(0, 256, (24, 32, 3), dtype=np.uint8)
    assert np.array_equal(images.decode_bgr(images.encode_png(image)), image)
    jpeg = images.encode_jpeg(image, 90)
    assert jpeg[:2] == b"\xff\xd8" and images.decode_bgr(jpeg).shape == image.shape
    assert images.decode_bgr(b"not an image") is None
    assert images.write_png(tmp_path / "a.png", image, 6) and np.array_equal(images.read_bgr(tmp_path / "a.png"), image)
    assert images.read_bgr(tmp_path / "missing.png") is None


def test_the_named_operations_are_opencvs():
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (40, 60, 3), dtype=np.uint8)
    assert np.array_equal(transforms.resize(image, (30, 20), interpolation="area"),
                          cv2.resize(image, (30, 20), interpolation=cv2.INTER_AREA))
    assert np.array_equal(transforms.gaussian_blur(image, 0.9, sigma_y=4), cv2.GaussianBlur(image, (0, 0), 0.9, sigmaY=4))
    assert np.array_equal(transforms.bgr_to_grey(image), cv2.cvtColor(image, cv2.COLOR_BGR2GRAY))
    ours, theirs = np.zeros((40, 60), np.uint8), np.zeros((40, 60), np.uint8)
    draw.ellipse(ours, (30, 20), (12, 5), 255, draw.FILLED, antialiased=True)
    cv2.ellipse(theirs, (30, 20), (12, 5), 0, 0, 360, 255, -1, cv2.LINE_AA)
    assert np.array_equal(ours, theirs)
    count, _, stats = masks.connected_components(ours > 127)
    assert count == 2 and masks.outer_boxes(masks.above(ours, 127)) == [tuple(stats[1, :4])]


def test_a_clip_written_is_read_back_up_to_the_limit(tmp_path):
    writer = video.mjpg_writer(tmp_path / "clip.avi", 10, (64, 48))
    for i in range(5):
        writer.write(np.full((48, 64, 3), i * 40, np.uint8))
    writer.release()
    assert len(list(video.read_frames(tmp_path / "clip.avi", limit=3))) == 3
    assert len(list(video.read_frames(tmp_path / "clip.avi"))) == 5
    assert list(video.read_frames(tmp_path / "missing.avi")) == []
    capture = video.open_capture(tmp_path / "clip.avi")
    try:
        assert video.frame_size(capture) == (64, 48) and video.frame_rate(capture) == 10.0
        assert video.frame_count(capture) == 5
    finally:
        capture.release()
