"""The dispatcher on its own: routing by accelerator, least-loaded choice, FIFO queueing
when full, refusal beyond the queue bound, wait timeouts, simulated pools and the
utilisation figures. Slow work is a thread blocked on an Event, so nothing depends on
sleeping the right amount."""
import threading
import time

import pytest

from verticals.city.lib.dispatcher import Call, CallFailed, Dispatcher, Pool, Refused, percentile


class FakeClock:
    def __init__(self, t=1000.0):
        self.t = t
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            return self.t

    def advance(self, s):
        with self.lock:
            self.t += s


def wait_until(cond, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.002)


def row(dispatcher, name):
    return next(r for r in dispatcher.utilisation() if r["pool"] == name)


class Blocker:
    """Work that holds its slot until released; records which pool ran it, in order."""

    def __init__(self):
        self.release = threading.Event()
        self.started = []
        self.lock = threading.Lock()

    def work(self, tag):
        def run(pool):
            with self.lock:
                self.started.append((tag, pool.name))
            assert self.release.wait(5)
            return tag
        return run


def start(dispatcher, call, results):
    def go():
        try:
            results.append(dispatcher.dispatch(call))
        except Exception as exc:  # noqa: BLE001
            results.append(exc)
    t = threading.Thread(target=go)
    t.start()
    return t


def test_routes_only_to_pools_of_the_profiles_accelerator():
    d = Dispatcher([Pool("cpu-a", "cpu", 2), Pool("gpu-a", "gpu", 1, simulated=True,
                                                    simulated_reason="no NVIDIA GPU on this host")])
    assert d.dispatch(Call("cpu", lambda p: p.name)).value == "cpu-a"
    r = d.dispatch(Call("gpu", lambda p: p.name))
    assert r.value == "gpu-a" and r.simulated and r.simulated_reason == "no NVIDIA GPU on this host"
    with pytest.raises(Refused) as exc:
        d.dispatch(Call("npu", lambda p: p.name))
    assert exc.value.kind == "no_pool"
    assert "no pool with a npu accelerator" in exc.value.reason


def test_a_cpu_algorithm_never_lands_on_a_gpu_pool_even_when_the_cpu_pool_is_busy():
    d = Dispatcher([Pool("cpu-a", "cpu", 1, max_queue=0), Pool("gpu-a", "gpu", 4)])
    b = Blocker()
    out = []
    t = start(d, Call("cpu", b.work("first")), out)
    wait_until(lambda: row(d, "cpu-a")["running"] == 1)
    with pytest.raises(Refused) as exc:
        d.dispatch(Call("cpu", lambda p: p.name))
    assert exc.value.kind == "queue_full" and "every cpu pool is full" in exc.value.reason
    assert row(d, "gpu-a")["done"] == 0
    b.release.set()
    t.join()


def test_least_loaded_pool_is_chosen():
    d = Dispatcher([Pool("small", "cpu", 1, max_queue=4), Pool("big", "cpu", 4, max_queue=4)])
    b = Blocker()
    out, threads = [], []
    # First call: both free with load 0, the first listed wins; afterwards "small" is at
    # 1/1 and "big" at 0/4, so the next four go to "big".
    for i in range(5):
        threads.append(start(d, Call("cpu", b.work(i)), out))
        wait_until(lambda: len(b.started) == i + 1)
    assert [pool for _, pool in b.started] == ["small", "big", "big", "big", "big"]
    b.release.set()
    for t in threads:
        t.join()
    assert row(d, "small")["done"] == 1 and row(d, "big")["done"] == 4


def test_queues_fifo_when_full_then_refuses_beyond_max_queue():
    d = Dispatcher([Pool("p", "cpu", capacity=1, max_queue=2)])
    gate = threading.Event()
    order = []

    def work(tag):
        def run(pool):
            order.append(tag)
            if tag == "running":
                assert gate.wait(5)
            return tag
        return run

    out, threads = [], []
    threads.append(start(d, Call("cpu", work("running")), out))
    wait_until(lambda: row(d, "p")["running"] == 1)
    for tag in ("q1", "q2"):
        threads.append(start(d, Call("cpu", work(tag)), out))
        wait_until(lambda: row(d, "p")["queued"] == int(tag[1]))
    with pytest.raises(Refused) as exc:
        d.dispatch(Call("cpu", work("over")))
    assert exc.value.kind == "queue_full"
    assert "1/1 running, 2/2 queued" in exc.value.reason
    gate.set()
    for t in threads:
        t.join()
    assert order == ["running", "q1", "q2"]
    stats = row(d, "p")
    assert (stats["done"], stats["refused"], stats["running"], stats["queued"]) == (3, 1, 0, 0)
    assert all(r.wait_ms > 0 for r in out if r.value in ("q1", "q2"))


def test_wait_timeout_refuses_and_leaves_the_queue():
    d = Dispatcher([Pool("p", "cpu", capacity=1, max_queue=5)])
    b = Blocker()
    out = []
    t = start(d, Call("cpu", b.work("holder")), out)
    wait_until(lambda: row(d, "p")["running"] == 1)
    started = time.monotonic()
    with pytest.raises(Refused) as exc:
        d.dispatch(Call("cpu", lambda p: "late", timeout_s=0.05))
    assert time.monotonic() - started >= 0.05
    assert exc.value.kind == "timeout" and exc.value.pool == "p" and exc.value.wait_ms >= 50
    assert row(d, "p")["queued"] == 0
    b.release.set()
    t.join()
    # The slot is free again and the timed-out call did not leave a ghost ahead of others.
    assert d.dispatch(Call("cpu", lambda p: "next", timeout_s=0.5)).value == "next"


def test_a_waiter_behind_a_timed_out_one_still_gets_its_turn():
    d = Dispatcher([Pool("p", "cpu", capacity=1, max_queue=5)])
    b = Blocker()
    out = []
    holder = start(d, Call("cpu", b.work("holder")), out)
    wait_until(lambda: row(d, "p")["running"] == 1)
    impatient = start(d, Call("cpu", lambda p: "impatient", timeout_s=0.05), out)
    wait_until(lambda: row(d, "p")["queued"] == 1)
    patient = start(d, Call("cpu", lambda p: "patient", timeout_s=5), out)
    impatient.join()
    b.release.set()
    holder.join()
    patient.join()
    values = sorted(r.value for r in out if not isinstance(r, Exception))
    assert values == ["holder", "patient"]
    assert [r.kind for r in out if isinstance(r, Refused)] == ["timeout"]


def test_failures_are_reported_with_the_original_error_and_free_the_slot():
    d = Dispatcher([Pool("p", "cpu", capacity=1)])

    def boom(pool):
        raise ValueError("model exploded")

    with pytest.raises(CallFailed) as exc:
        d.dispatch(Call("cpu", boom))
    assert isinstance(exc.value.error, ValueError) and exc.value.pool.name == "p"
    assert row(d, "p")["failed"] == 1 and row(d, "p")["running"] == 0
    assert d.dispatch(Call("cpu", lambda p: 7)).value == 7


def test_utilisation_numbers_on_a_fake_clock():
    clock = FakeClock()
    d = Dispatcher([Pool("p", "cpu", capacity=2)], clock=clock, window_s=10.0)
    clock.advance(10.0)  # the dispatcher is older than its window

    def runs_for(seconds):
        return lambda pool: clock.advance(seconds)

    for s in (1.0, 2.0, 3.0):
        r = d.dispatch(Call("cpu", runs_for(s)))
        assert r.run_ms == pytest.approx(s * 1000) and r.wait_ms == 0
    stats = row(d, "p")
    # 6 slot-seconds in the last 10 s on 2 slots.
    assert stats["busy"] == pytest.approx(6.0 / 20.0)
    assert stats["run_ms_p50"] == pytest.approx(2000.0)
    assert stats["run_ms_p95"] == pytest.approx(2900.0)
    assert stats["done"] == 3 and stats["wait_ms_p50"] == 0
    clock.advance(7.0)  # the 1 s and 2 s runs (t 10-13) now end before the window starts
    assert row(d, "p")["busy"] == pytest.approx(3.0 / 20.0)
    clock.advance(10.0)
    assert row(d, "p")["busy"] == 0.0


def test_running_calls_count_as_busy():
    clock = FakeClock()
    d = Dispatcher([Pool("p", "cpu", capacity=1)], clock=clock, window_s=4.0)
    clock.advance(4.0)
    b = Blocker()
    out = []
    t = start(d, Call("cpu", b.work("x")), out)
    wait_until(lambda: row(d, "p")["running"] == 1)
    clock.advance(1.0)
    assert row(d, "p")["busy"] == pytest.approx(0.25)
    b.release.set()
    t.join()


def test_reconfigure_keeps_calls_in_flight_and_a_larger_capacity_lets_waiters_in():
    d = Dispatcher([Pool("p", "cpu", capacity=1, max_queue=3)])
    b = Blocker()
    out = []
    t1 = start(d, Call("cpu", b.work("a")), out)
    wait_until(lambda: row(d, "p")["running"] == 1)
    t2 = start(d, Call("cpu", b.work("b")), out)
    wait_until(lambda: row(d, "p")["queued"] == 1)
    d.configure([Pool("p", "cpu", capacity=2, max_queue=3)])
    wait_until(lambda: row(d, "p")["running"] == 2)
    b.release.set()
    t1.join()
    t2.join()
    assert row(d, "p")["done"] == 2


def test_bad_pool_settings_are_refused():
    with pytest.raises(ValueError, match="capacity"):
        Pool("p", "cpu", capacity=0)
    with pytest.raises(ValueError, match="two pools"):
        Dispatcher([Pool("p", "cpu"), Pool("p", "gpu")])


def test_percentile():
    assert percentile([], 0.5) is None
    assert percentile([5.0], 0.95) == 5.0
    assert percentile([1, 2, 3, 4], 0.5) == 2.5
