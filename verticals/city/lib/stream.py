"""Reading a camera's stream without ever blocking the caller. Pure: OpenCV, no Django.

A source is a file path, rtsp://, http:// or https://. OpenCV's VideoCapture may block for
as long as the network lets it (a server that accepts and never answers holds an open or a
read forever), so the capture lives in a reader and the caller only ever waits on a queue
with a wall-clock limit: a source that gives no frame in time becomes status "offline"
with a message. The FFmpeg open/read timeouts are passed too, where the backend honours
them.

Live sources are read in a child process (this file run as a script), not a thread:
OpenCV's FFmpeg backend opens every capture under one process-wide lock, so a single hung
URL would stall the opening of every other stream in the process for its whole timeout
(measured: a file waited 5.5 s behind a hung rtsp:// open). The child sends the sampled,
resized frames back through a pipe and is killed when the stream is closed or abandoned.
Files are read in a thread of the caller's process (their opens do not hang on a network).

Frames are resized to the camera's frame width (aspect kept) and sampled to the analysis
rate on the source's own clock: frame index / source fps for files, the wall clock for live
sources. Frames the sampler skips are grabbed but not converted (cheaper than read()).

    src = FrameSource("rtsp://...", frame_width=640, analysis_fps=5)
    src.open()                      # StreamError(status, message) when it cannot
    for frame in src.frames():      # StreamError when the source goes silent mid-stream
        ...frame.image, frame.t, frame.index
    src.finished, src.frames_read, src.decode_errors
"""
import json
import math
import os
import queue
import struct
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass

import numpy as np

from core.inference.backends.opencv import transforms, video

LIVE_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://")
SCHEMES = LIVE_SCHEMES
# Live sources: give up after this many failed reads in a row (a stream that reconnects
# produces a few; one that is gone produces nothing but failures).
MAX_CONSECUTIVE_FAILURES = 25
# Files whose reported length is this much longer than what decoded are reported truncated.
TRUNCATION_SLACK = 0.95
# How long a reader process may take to start (Python + OpenCV import) on top of the open timeout.
CHILD_START_S = 3.0
# A frame from the reader process: source index (-1: end), time, frames read, decode errors.
HEADER = struct.Struct("<qdqq")


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
                 queue_size: int = 4, isolate: bool | None = None):
        self.source = source.strip()
        self.live = is_live(self.source)
        self.isolate = self.live if isolate is None else bool(isolate)
        self._proc: subprocess.Popen | None = None
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
        if self.live:
            return video.open_capture(self.source, open_timeout_s=self.open_timeout_s,
                                      read_timeout_s=max(self.open_timeout_s, self.read_timeout_s))
        return video.open_capture(self.source)

    def _open_in_thread(self):
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
            width, height = video.frame_size(cap)
            fps = video.frame_rate(cap)
            if not (0 < fps <= 1000):
                fps = 0.0
            count = 0 if self.live else video.frame_count(cap)
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
                image = transforms.resize(image, (info.out_width, info.out_height), interpolation="area")
            self._put(Frame(index=index, t=t, image=image))
        if not self.live and not self._stop.is_set():
            self.finished = True
            if info.frame_count and self.frames_read < info.frame_count * TRUNCATION_SLACK:
                self.decode_errors += 1
                self.end_message = (f"the file ended early: {self.frames_read} of {info.frame_count} frames "
                                    "decoded (truncated or corrupt)")
            else:
                self.end_message = f"end of file after {self.frames_read} frames"

    # -- the reader process (live sources) -------------------------------------------

    def _child_params(self):
        return {"source": self.source, "frame_width": self.frame_width, "analysis_fps": self.analysis_fps,
                "open_timeout_s": self.open_timeout_s, "read_timeout_s": self.read_timeout_s,
                "out_size": list(self.out_size) if self.out_size else None}

    def _child_in_thread(self):
        cmd = [sys.executable, os.path.abspath(__file__), "--child", json.dumps(self._child_params())]
        try:
            self._proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                          stderr=subprocess.DEVNULL)
        except OSError as exc:
            self._open_error = StreamError("error", f"could not start the stream reader: {exc}")
            self._opened.set()
            return
        out = self._proc.stdout
        try:
            line = out.readline()
            msg = json.loads(line) if line else None
            if msg is None:
                self._open_error = StreamError("error", "the stream reader process ended before opening "
                                                        f"(exit code {self._proc.poll()})")
            elif not msg.get("ok"):
                self._open_error = StreamError(msg.get("status", "error"), msg.get("message", "could not open"))
            else:
                self.info = StreamInfo(**msg["info"])
        except (ValueError, TypeError, OSError) as exc:
            self._open_error = StreamError("error", f"the stream reader answered garbage: {exc}")
        finally:
            self._opened.set()
        if self._open_error is not None:
            return
        w, h = self.info.out_width, self.info.out_height
        size = w * h * 3
        try:
            while not self._stop.is_set():
                head = out.read(HEADER.size)
                if len(head) < HEADER.size:
                    if not self._stop.is_set():
                        self._reader_error = StreamError("offline", "the stream reader process ended unexpectedly")
                    break
                index, t, self.frames_read, self.decode_errors = HEADER.unpack(head)
                if index < 0:
                    tail = json.loads(out.readline() or b"{}")
                    self.finished = bool(tail.get("finished"))
                    self.end_message = tail.get("end_message", "")
                    if tail.get("error"):
                        self._reader_error = StreamError(tail["error"]["status"], tail["error"]["message"])
                    break
                data = out.read(size)
                if len(data) < size:
                    self._reader_error = StreamError("offline", "the stream reader process ended mid-frame")
                    break
                self._put(Frame(index=index, t=t, image=np.frombuffer(data, np.uint8).reshape(h, w, 3)))
        except (OSError, ValueError) as exc:
            if not self._stop.is_set():
                self._reader_error = StreamError("error", f"reading from the stream reader failed: {exc}")
        finally:
            self._put(_END)

    # -- the caller's side -----------------------------------------------------------

    def open(self) -> StreamInfo:
        """Start the reader and wait (at most open_timeout_s) until the source is open."""
        if self._thread is not None:
            raise RuntimeError("already opened")
        target = self._child_in_thread if self.isolate else self._open_in_thread
        self._thread = threading.Thread(target=target, name=f"stream-reader:{self.source[:40]}", daemon=True)
        self._thread.start()
        if not self._opened.wait(self.open_timeout_s + (CHILD_START_S if self.isolate else 0.0)):
            self.close()
            raise StreamError("offline", f"{self.source} did not open within {self.open_timeout_s:g} s (hung)")
        if self._open_error is not None:
            self.close()
            raise self._open_error
        return self.info

    def frames(self, deadline: float | None = None):
        """Sampled frames until the file ends, the deadline (time.monotonic()) passes, or the
        source goes silent for read_timeout_s (StreamError "offline")."""
        if self.info is None:
            raise RuntimeError("open() first")
        # The reader process keeps its own read timeout and says so; this one catches a
        # reader that cannot even say so.
        patience = self.read_timeout_s + (CHILD_START_S if self.isolate else 0.0)
        while True:
            wait = patience
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
                self.close()
                raise StreamError("offline", f"no frame within {self.read_timeout_s:g} s") from None
            if item is _END:
                if self._reader_error is not None:
                    raise self._reader_error
                return
            yield item

    def close(self):
        """Stop the reader: a reader process is killed; a reader thread stuck inside OpenCV
        (files only) is left to FFmpeg's timeouts (daemon)."""
        self._stop.set()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            try:
                self._proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
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


def _child_main(params: dict) -> int:
    """The reader process: open, then stream sampled frames to stdout (see HEADER)."""
    out = sys.stdout.buffer
    src = FrameSource(**{**params, "out_size": tuple(params["out_size"]) if params.get("out_size") else None},
                      isolate=False)
    try:
        info = src.open()
    except StreamError as exc:
        out.write(json.dumps({"ok": False, "status": exc.status, "message": exc.message}).encode() + b"\n")
        out.flush()
        return 0
    out.write(json.dumps({"ok": True, "info": asdict(info)}).encode() + b"\n")
    out.flush()
    error = None
    try:
        try:
            for frame in src.frames():
                out.write(HEADER.pack(frame.index, frame.t, src.frames_read, src.decode_errors))
                out.write(np.ascontiguousarray(frame.image).tobytes())
                out.flush()
        except StreamError as exc:
            error = {"status": exc.status, "message": exc.message}
        out.write(HEADER.pack(-1, 0.0, src.frames_read, src.decode_errors))
        out.write(json.dumps({"finished": src.finished, "end_message": src.end_message, "error": error}).encode()
                  + b"\n")
        out.flush()
    except BrokenPipeError:
        pass  # the caller closed the stream
    finally:
        src.close()
    return 0


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "--child":
    # Exit without running OpenCV's and the reader thread's teardown: a capture stuck in
    # FFmpeg must not keep the process (or abort it) on the way out.
    code = _child_main(json.loads(sys.argv[2]))
    sys.stdout.flush()
    os._exit(code)
