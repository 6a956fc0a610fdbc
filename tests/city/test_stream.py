"""lib.stream on real footage and on sources that misbehave: a server that accepts and
never answers, a closed port, a live MJPEG stream that goes silent, random bytes named
.mp4, a truncated real video, a missing file. No call may block past its timeouts."""
import os
import socket
import threading
import time

import cv2
import numpy as np
import pytest

from verticals.city.lib.stream import FrameSource, StreamError, check_source, output_size

VTEST = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
needs_vtest = pytest.mark.skipif(not os.path.exists(VTEST), reason="opencv-doc (vtest.avi) is not installed")


def read_all(src, deadline_s=30):
    return list(src.frames(deadline=time.monotonic() + deadline_s))


@needs_vtest
def test_file_is_resized_keeping_aspect_and_sampled_on_the_source_clock():
    src = FrameSource(VTEST, frame_width=640, analysis_fps=5)
    info = src.open()
    assert (info.width, info.height, info.fps, info.live) == (768, 576, 10.0, False)
    assert (info.out_width, info.out_height) == (640, 480)
    frames = []
    for frame in src.frames():
        frames.append((frame.index, frame.t, frame.image.shape))
        if len(frames) == 20:
            break
    src.close()
    # 10 FPS sampled at 5: every other source frame, timed by index / fps.
    assert [f[0] for f in frames] == list(range(0, 40, 2))
    assert [f[1] for f in frames] == pytest.approx([i / 10 for i in range(0, 40, 2)])
    assert {f[2] for f in frames} == {(480, 640, 3)}


@needs_vtest
def test_a_whole_file_ends_as_finished_with_every_frame_read():
    src = FrameSource(VTEST, frame_width=320, analysis_fps=2.5, out_size=(320, 180))
    src.open()
    frames = read_all(src)
    assert src.finished and src.frames_read == 795 and src.decode_errors == 0
    assert "end of file after 795 frames" in src.end_message
    assert len(frames) == 199  # indices 0, 4, 8, ... 792
    assert frames[-1].index == 792 and frames[0].image.shape == (180, 320, 3)


def test_output_size_keeps_aspect_with_an_even_height():
    assert output_size(1920, 1080, 640) == (640, 360)
    assert output_size(768, 576, 640) == (640, 480)
    assert output_size(640, 272, 640) == (640, 272)
    assert output_size(1000, 333, 500)[1] % 2 == 0


def test_source_check_accepts_files_and_stream_urls_only():
    assert check_source("rtsp://10.0.0.5:554/stream1") is None
    assert check_source("https://cam.example/live.mjpg") is None
    assert check_source("/data/videos/junction.mp4") is None
    assert "unsupported scheme 'ftp'" in check_source("ftp://host/video.mp4")
    assert "absolute path" in check_source("videos/junction.mp4")
    assert check_source("   ") is not None


def test_missing_file_is_an_error_with_its_path():
    with pytest.raises(StreamError) as exc:
        FrameSource("/nonexistent/cam7.mp4").open()
    assert exc.value.status == "error" and "no such file: /nonexistent/cam7.mp4" in exc.value.message


def test_random_bytes_named_mp4_are_not_a_video(tmp_path):
    bad = tmp_path / "corrupt.mp4"
    bad.write_bytes(np.random.default_rng(0).integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    with pytest.raises(StreamError) as exc:
        FrameSource(str(bad)).open()
    assert exc.value.status == "error" and "corrupt.mp4 is not a readable video" in exc.value.message


@needs_vtest
def test_truncated_video_gives_its_frames_then_reports_the_early_end(tmp_path):
    cut = tmp_path / "cut.avi"
    data = open(VTEST, "rb").read()
    cut.write_bytes(data[: len(data) // 4])
    src = FrameSource(str(cut), analysis_fps=10)
    src.open()
    frames = read_all(src)
    assert 100 < len(frames) < 795 // 2
    assert src.finished and src.decode_errors >= 1
    assert "ended early" in src.end_message and "of 795 frames" in src.end_message


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never sends a byte."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    held = []
    stop = threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    yield srv.getsockname()[1]
    stop.set()
    for c in held:
        c.close()
    srv.close()


@pytest.mark.parametrize("scheme", ["http", "rtsp"])
def test_a_url_that_hangs_is_offline_within_the_open_timeout(silent_server, scheme):
    src = FrameSource(f"{scheme}://127.0.0.1:{silent_server}/cam", open_timeout_s=1.5, read_timeout_s=1.5)
    started = time.monotonic()
    with pytest.raises(StreamError) as exc:
        src.open()
    waited = time.monotonic() - started
    src.close()
    assert exc.value.status == "offline"
    assert "did not open within 1.5 s" in exc.value.message or "could not open" in exc.value.message
    assert waited < 3.0


def test_a_closed_port_is_offline_at_once():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    started = time.monotonic()
    with pytest.raises(StreamError) as exc:
        FrameSource(f"rtsp://127.0.0.1:{port}/live", open_timeout_s=30).open()
    assert exc.value.status == "offline" and "could not open" in exc.value.message
    assert time.monotonic() - started < 15  # refused, not given up on after the 30 s open timeout


def test_a_live_stream_that_goes_silent_is_offline_after_its_frames():
    """An MJPEG-over-HTTP camera sends 12 frames, then keeps the connection open and mute."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    release = threading.Event()

    def serve():
        conn, _ = srv.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=frame\r\n\r\n")
        for i in range(12):
            img = np.full((120, 160, 3), 20 * i, np.uint8)
            jpg = cv2.imencode(".jpg", img)[1].tobytes()
            conn.sendall(b"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: %d\r\n\r\n" % len(jpg) + jpg
                         + b"\r\n")
            time.sleep(0.04)
        release.wait(20)
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    src = FrameSource(f"http://127.0.0.1:{srv.getsockname()[1]}/cam.mjpg", frame_width=320, analysis_fps=30,
                      open_timeout_s=5, read_timeout_s=1.5)
    info = src.open()
    assert info.live and (info.width, info.height) == (160, 120) and (info.out_width, info.out_height) == (320, 240)
    got = []
    started = time.monotonic()
    with pytest.raises(StreamError) as exc:
        for frame in src.frames():
            got.append(frame)
    release.set()
    src.close()
    srv.close()
    assert exc.value.status == "offline" and exc.value.message == "no frame within 1.5 s"
    assert len(got) >= 6 and got[0].image.shape == (240, 320, 3)
    assert all(b.t >= a.t for a, b in zip(got, got[1:]))
    assert time.monotonic() - started < 10  # the 1.5 s read timeout ended it, not the server's 20 s hold


@needs_vtest
def test_a_deadline_stops_a_stream_without_calling_it_finished():
    src = FrameSource(VTEST, analysis_fps=5)
    src.open()
    frames = list(src.frames(deadline=time.monotonic() - 1))
    src.close()
    assert frames == [] and not src.finished


@needs_vtest
def test_a_hung_url_does_not_delay_opening_a_file_in_the_same_process(silent_server):
    """OpenCV opens FFmpeg captures under one process-wide lock; live sources are read in a
    child process so a hung one cannot hold that lock here."""
    hung = FrameSource(f"rtsp://127.0.0.1:{silent_server}/cam", open_timeout_s=4)
    errors = []

    def open_hung():
        try:
            hung.open()
        except StreamError as exc:
            errors.append(exc)

    t = threading.Thread(target=open_hung)
    t.start()
    time.sleep(1.0)  # the hung open is under way
    src = FrameSource(VTEST)
    src.open()
    still_hung = t.is_alive() and not errors  # the file opened while the hung URL was still trying
    src.close()
    t.join(10)
    assert still_hung
    assert errors and errors[0].status == "offline" and "did not open within 4 s" in errors[0].message
    assert hung._proc.poll() is not None  # the reader process is gone
