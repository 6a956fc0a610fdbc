"""Video files and streams: captures to read frames from, a writer to make clips."""
from pathlib import Path

from . import cv


def open_capture(source, *, open_timeout_s=None, read_timeout_s=None):
    """An FFmpeg capture of a file path or a stream URL (check .isOpened(); read with .grab(),
    .retrieve(), .read(); .release() when done). The timeouts bound how long FFmpeg may block
    opening and reading a network stream, where the backend honours them."""
    cv2 = cv()
    if open_timeout_s is None and read_timeout_s is None:
        return cv2.VideoCapture(str(source), cv2.CAP_FFMPEG)
    params = []
    if open_timeout_s is not None:
        params += [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(open_timeout_s * 1000)]
    if read_timeout_s is not None:
        params += [cv2.CAP_PROP_READ_TIMEOUT_MSEC, int(read_timeout_s * 1000)]
    return cv2.VideoCapture(str(source), cv2.CAP_FFMPEG, params)


def frame_size(capture) -> tuple[int, int]:
    """(width, height) of the capture's frames; 0 where the source does not say."""
    cv2 = cv()
    return int(capture.get(cv2.CAP_PROP_FRAME_WIDTH) or 0), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0)


def frame_rate(capture) -> float:
    """The frames per second the source reports; 0.0 where it reports none."""
    return float(capture.get(cv().CAP_PROP_FPS) or 0.0)


def frame_count(capture) -> int:
    """The number of frames a file says it has (0 where unknown, as for live streams)."""
    return max(0, int(capture.get(cv().CAP_PROP_FRAME_COUNT) or 0))


def read_frames(path, *, limit=None):
    """The first `limit` frames (all, without a limit) of a video file, BGR, one at a time;
    nothing when it cannot be opened."""
    capture = cv().VideoCapture(str(Path(path)))
    try:
        read = 0
        while limit is None or read < limit:
            ok, frame = capture.read()
            if not ok:
                return
            read += 1
            yield frame
    finally:
        capture.release()


def mjpg_writer(path, fps, size):
    """A writer of an MJPG .avi at fps frames per second and size = (width, height): .write(frame)
    each BGR frame, .release() at the end; OSError when it cannot be opened."""
    cv2 = cv()
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), float(fps), tuple(size))
    if not writer.isOpened():
        raise OSError(f"cannot open a video writer for {path}")
    return writer


def background_subtractor(*, history, var_threshold, detect_shadows, background_ratio):
    """OpenCV's MOG2 model of a fixed camera's background: .apply(frame, learningRate=...) learns
    a frame and returns its foreground mask (255 foreground, 127 shadow, 0 background)."""
    subtractor = cv().createBackgroundSubtractorMOG2(history=history, varThreshold=var_threshold,
                                                     detectShadows=detect_shadows)
    subtractor.setBackgroundRatio(background_ratio)
    return subtractor
