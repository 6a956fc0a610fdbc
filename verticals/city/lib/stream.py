"""Reading a camera's stream without ever blocking the caller. Pure: OpenCV, no Django.

A source is a file path, rtsp://, http:// or https://. OpenCV's VideoCapture may block for
as long as the network lets it (a server that accepts and never answers holds an open or a
read forever), so the capture lives in a reader thread and the caller only ever waits on a
queue with a wall-clock limit: a source that gives no frame in time becomes status
"offline" with a message, and the abandoned reader ends on its own when the FFmpeg
open/read timeouts (passed where the backend honours them) fire, or when the process ends.

Frames are resized to the camera's frame width (aspect kept) and sampled to the analysis
rate on the source's own clock: frame index / source fps for files, the wall clock for live
sources. Frames the sampler skips are grabbed but not converted (cheaper than read()).

    src = FrameSource("rtsp://...", frame_width=640, analysis_fps=5)
    src.open()                      # StreamError(status, message) when it cannot
    for frame in src.frames():      # StreamError when the source goes silent mid-stream
        ...frame.image, frame.t, frame.index
    src.finished, src.frames_read, src.decode_errors
"""
import math
import os
import queue
import threading
import time
from dataclasses import dataclass

import numpy as np

LIVE_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://")
SCHEMES = LIVE_SCHEMES
# Live sources: give up after this many failed reads in a row (a stream that reconnects
# produces a few; one that is gone produces nothing but failures).
MAX_CONSECUTIVE_FAILURES = 25
# Files whose reported length is this much longer than what decoded are reported truncated.
TRUNCATION_SLACK = 0.95


class StreamError(Exception):
    """The stream cannot be read. status is a Camera.Status value: "offline" (unreachable,
    hung, ended early) or "error" (not a video, missing file)."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class StreamInfo:
    source: str
    live: bool
    fps: float  # the source's own rate (0 when it does not say)
    width: int  # of the source
    height: int
    frame_count: int  # 0 for live sources or when unknown
    out_width: int  # of the frames handed out
    out_height: int


@dataclass
class Frame:
    index: int  # frame number in the source
    t: float  # seconds since the stream started, on the source's clock
    image: np.ndarray  # BGR uint8, out_height x out_width x 3


def is_live(source: str) -> bool:
    return source.lower().startswith(LIVE_SCHEMES)


def check_source(source: str) -> str | None:
    """None when `source` is acceptable as a camera source, else why not."""
    if not isinstance(source, str) or not source.strip():
        return "the source must be a file path or an rtsp://, http:// or https:// URL"
    s = source.strip()
    if "://" in s and not is_live(s):
        return f"unsupported scheme {s.split('://', 1)[0]!r}: use rtsp, http, https or a file path"
    if is_live(s) and len(s.split("://", 1)[1]) < 1:
        return "the URL has no host"
    if not is_live(s) and not os.path.isabs(s):
        return "a file source must be an absolute path on the worker"
    return None


def output_size(width: int, height: int, frame_width: int) -> tuple[int, int]:
    """(w, h) for a frame resized to frame_width, aspect kept, height even (codecs like it)."""
    if width <= 0 or height <= 0:
        return frame_width, frame_width * 9 // 16
    if width == frame_width:
        return width, height
    h = max(2, int(round(height * frame_width / width / 2)) * 2)
    return frame_width, h


class _Sampler:
    """Keeps a frame when its time reaches the next slot of 1/fps (slots, not "t - last >=
    period", so a 10 FPS source sampled at 5 keeps exactly every other frame)."""

    def __init__(self, fps: float):
        self.period = 1.0 / fps if fps and fps > 0 else 0.0
        self.next_t = 0.0

    def take(self, t: float) -> bool:
        if self.period == 0.0:
            return True
        if t + 1e-6 < self.next_t:
            return False
        self.next_t = (math.floor(t / self.period + 1e-6) + 1) * self.period
        return True


_END = object()


class FrameSource:
    def __init__(self, source: str, *, frame_width: int = 640, analysis_fps: float = 5.0,
                 open_timeout_s: float = 10.0, read_timeout_s: float = 10.0, out_size: tuple[int, int] | None = None,
                 queue_size: int = 4):
        self.source = source.strip()
        self.live = is_live(self.source)
        self.frame_width = int(frame_width)
        self.out_size = out_size  # forces (w, h) regardless of aspect (bench: 640x360)
        self.analysis_fps = float(analysis_fps)
        self.open_timeout_s = float(open_timeout_s)
        self.read_timeout_s = float(read_timeout_s)
        self.info: StreamInfo | None = None
        self.frames_read = 0  # decoded (grabbed) by the reader, sampled or not
        self.decode_errors = 0
        self.finished = False  # a file reached its end
        self.end_message = ""
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._opened = threading.Event()
        self._stop = threading.Event()
        self._open_error: StreamError | None = None
        self._reader_error: StreamError | None = None
        self._thread: threading.Thread | None = None

    # -- the reader thread -----------------------------------------------------------

    def _capture(self):
        import cv2

        if self.live:
            ms = int(max(self.open_timeout_s, self.read_timeout_s) * 1000)
            params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, int(self.open_timeout_s * 1000),
                      cv2.CAP_PROP_READ_TIMEOUT_MSEC, ms]
            return cv2.VideoCapture(self.source, cv2.CAP_FFMPEG, params)
        return cv2.VideoCapture(self.source, cv2.CAP_FFMPEG)

    def _open_in_thread(self):
        import cv2

        cap = None
        try:
            if not self.live:
                if not os.path.exists(self.source):
                    raise StreamError("error", f"no such file: {self.source}")
                if not os.path.isfile(self.source):
                    raise StreamError("error", f"not a file: {self.source}")
            cap = self._capture()
            if not cap.isOpened():
                if self.live:
                    raise StreamError("offline", f"could not open {self.source}: unreachable, refused, "
                                                 "or not a video stream")
                raise StreamError("error", f"{os.path.basename(self.source)} is not a readable video "
                                           "(unknown format or corrupt)")
            width = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 0)
            height = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0)
            fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
            if not (0 < fps <= 1000):
                fps = 0.0
            count = 0 if self.live else max(0, int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0))
            ow, oh = self.out_size or output_size(width, height, self.frame_width)
            self.info = StreamInfo(source=self.source, live=self.live, fps=fps, width=width, height=height,
                                   frame_count=count, out_width=ow, out_height=oh)
        except StreamError as exc:
            self._open_error = exc
        except Exception as exc:  # noqa: BLE001 - whatever OpenCV raises is this stream's problem
            self._open_error = StreamError("error", f"could not open {self.source}: {exc}")
        finally:
            self._opened.set()
        if self._open_error is not None:
            if cap is not None:
                cap.release()
            return
        try:
            self._read_loop(cap)
        except Exception as exc:  # noqa: BLE001
            self._reader_error = StreamError("error", f"reading failed: {exc}")
        finally:
            cap.release()
            self._put(_END)

    def _put(self, item):
        """Files wait for the consumer (no frame lost); live sources drop the oldest sampled
        frame instead, so a slow consumer sees the latest picture, not a growing backlog."""
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.2 if not self.live or item is _END else 0)
                return
            except queue.Full:
                if self.live and item is not _END:
                    try:
                        self._queue.get_nowait()
                    except queue.Empty:
                        pass

    def _read_loop(self, cap):
        import cv2

        info = self.info
        sampler = _Sampler(self.analysis_fps)
        started = time.monotonic()
        index = -1
        failures = 0
        while not self._stop.is_set():
            ok = cap.grab()
            if not ok:
                if not self.live:
                    break
                failures += 1
                self.decode_errors += 1
                if failures >= MAX_CONSECUTIVE_FAILURES:
                    self._reader_error = StreamError("offline", f"the stream stopped: {failures} failed reads "
                                                                "in a row")
                    return
                continue
            failures = 0
            index += 1
            self.frames_read += 1
            t = (index / info.fps if info.fps else index / 25.0) if not self.live else time.monotonic() - started
            if not sampler.take(t):
                continue
            ok, image = cap.retrieve()
            if not ok or image is None or image.ndim != 3:
                self.decode_errors += 1
                continue
            if (image.shape[1], image.shape[0]) != (info.out_width, info.out_height):
                image = cv2.resize(image, (info.out_width, info.out_height), interpolation=cv2.INTER_AREA)
            self._put(Frame(index=index, t=t, image=image))
        if not self.live and not self._stop.is_set():
            self.finished = True
            if info.frame_count and self.frames_read < info.frame_count * TRUNCATION_SLACK:
                self.decode_errors += 1
                self.end_message = (f"the file ended early: {self.frames_read} of {info.frame_count} frames "
                                    "decoded (truncated or corrupt)")
            else:
                self.end_message = f"end of file after {self.frames_read} frames"

    # -- the caller's side -----------------------------------------------------------

    def open(self) -> StreamInfo:
        """Start the reader and wait (at most open_timeout_s) until the source is open."""
        if self._thread is not None:
            raise RuntimeError("already opened")
        self._thread = threading.Thread(target=self._open_in_thread, name=f"stream-reader:{self.source[:40]}",
                                        daemon=True)
        self._thread.start()
        if not self._opened.wait(self.open_timeout_s):
            self._stop.set()
            raise StreamError("offline", f"{self.source} did not open within {self.open_timeout_s:g} s (hung)")
        if self._open_error is not None:
            raise self._open_error
        return self.info

    def frames(self, deadline: float | None = None):
        """Sampled frames until the file ends, the deadline (time.monotonic()) passes, or the
        source goes silent for read_timeout_s (StreamError "offline")."""
        if self.info is None:
            raise RuntimeError("open() first")
        while True:
            wait = self.read_timeout_s
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                wait = min(wait, left)
            try:
                item = self._queue.get(timeout=wait)
            except queue.Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    return
                self._stop.set()
                raise StreamError("offline", f"no frame within {self.read_timeout_s:g} s") from None
            if item is _END:
                if self._reader_error is not None:
                    raise self._reader_error
                return
            yield item

    def close(self):
        """Stop the reader. One stuck inside OpenCV is left to its own timeouts (daemon)."""
        self._stop.set()
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass
        if self._thread is not None:
            self._thread.join(timeout=0.5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
