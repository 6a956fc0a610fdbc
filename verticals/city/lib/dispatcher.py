"""The algorithm scheduler's core: compute pools of one accelerator type each, and a
dispatcher that routes every call to a pool able to run it, queues it (FIFO, bounded)
when every such pool is busy, and keeps utilisation figures. Pure Python, no Django:
one threading.Condition guards all state, so any number of caller threads may dispatch.

A call names the device its algorithm's profile needs; only pools of exactly that
accelerator qualify (a CPU-profile algorithm runs on cpu pools only). Among qualifying
pools the least loaded, (running + queued) / capacity, wins; ties go to the pool listed
first. The work itself is a callable run in the caller's thread once it holds a slot; it
receives the Pool, so the caller can see whether the pool is simulated on this host."""
import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

DEFAULT_WINDOW_S = 60.0
SAMPLES_KEPT = 1000  # recent waits and runs per pool, for the percentiles


class Refused(Exception):
    """The call was not run. kind: "no_pool" (nothing can run it), "queue_full" (every
    qualifying queue is at max_queue), "timeout" (it waited longer than allowed)."""

    def __init__(self, reason: str, kind: str, pool: str | None = None, wait_ms: float = 0.0):
        super().__init__(reason)
        self.reason, self.kind, self.pool, self.wait_ms = reason, kind, pool, wait_ms


class CallFailed(Exception):
    """The work raised; `error` is what it raised, the rest says where and how long."""

    def __init__(self, error: BaseException, pool: "Pool", wait_ms: float, run_ms: float):
        super().__init__(str(error))
        self.error, self.pool, self.wait_ms, self.run_ms = error, pool, wait_ms, run_ms


@dataclass
class Pool:
    """`simulated` pools stand for an accelerator this host lacks: the work runs on the
    CPU and every result says so, with `simulated_reason`. `ref` is the caller's handle
    (e.g. the ComputePool id)."""

    name: str
    accelerator: str
    capacity: int = 1
    max_queue: int = 0
    simulated: bool = False
    simulated_reason: str = ""
    ref: Any = None
    # Live state, guarded by the dispatcher's condition.
    running: int = field(default=0, init=False)
    queue: deque = field(default_factory=deque, init=False, repr=False)
    done: int = field(default=0, init=False)
    failed: int = field(default=0, init=False)
    refused: int = field(default=0, init=False)
    waits_ms: deque = field(default_factory=lambda: deque(maxlen=SAMPLES_KEPT), init=False, repr=False)
    runs_ms: deque = field(default_factory=lambda: deque(maxlen=SAMPLES_KEPT), init=False, repr=False)
    # Finished runs as (start, end) on the dispatcher's clock, and starts of the running ones.
    intervals: deque = field(default_factory=deque, init=False, repr=False)
    starts: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        if self.capacity < 1:
            raise ValueError(f"pool {self.name!r}: capacity must be at least 1")
        if self.max_queue < 0:
            raise ValueError(f"pool {self.name!r}: max_queue cannot be negative")

    def load(self) -> float:
        return (self.running + len(self.queue)) / self.capacity


@dataclass
class Call:
    """device: what the algorithm's profile needs ("cpu", "gpu", ...). work(pool) does it.
    timeout_s bounds the wait for a slot (None: wait as long as it takes)."""

    device: str
    work: Callable[[Pool], Any]
    timeout_s: float | None = None
    label: str = ""


@dataclass
class Result:
    value: Any
    pool: Pool
    simulated: bool
    simulated_reason: str
    wait_ms: float
    run_ms: float
    overhead_ms: float  # the dispatcher's own time: total minus waiting minus the work


def percentile(values, q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None when empty."""
    data = sorted(values)
    if not data:
        return None
    pos = (len(data) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


class Dispatcher:
    def __init__(self, pools=(), *, clock: Callable[[], float] = time.monotonic, window_s: float = DEFAULT_WINDOW_S):
        self._cond = threading.Condition()
        self._clock = clock
        self._window_s = window_s
        self._created = clock()
        self._tickets = itertools.count()
        self._pools: dict[str, Pool] = {}
        self.configure(pools)

    # -- configuration ----------------------------------------------------------------

    def configure(self, pools):
        """Replace the pool set. A pool that keeps its name keeps its live state (running
        calls, queue, figures) and takes the new capacity, queue bound and simulation flag,
        so reconfiguring never forgets calls in flight. A dropped pool's queued calls still
        run there; it just takes no new ones."""
        with self._cond:
            fresh = {}
            for p in pools:
                if p.name in fresh:
                    raise ValueError(f"two pools named {p.name!r}")
                old = self._pools.get(p.name)
                if old is not None and old.accelerator == p.accelerator:
                    old.capacity, old.max_queue, old.ref = p.capacity, p.max_queue, p.ref
                    old.simulated, old.simulated_reason = p.simulated, p.simulated_reason
                    fresh[p.name] = old
                else:
                    fresh[p.name] = p
            self._pools = fresh
            self._cond.notify_all()  # a larger capacity may let waiters in

    @property
    def pools(self) -> list[Pool]:
        with self._cond:
            return list(self._pools.values())

    # -- dispatch ---------------------------------------------------------------------

    def _choose(self, device):
        qualifying = [p for p in self._pools.values() if p.accelerator == device]
        if not qualifying:
            known = sorted({p.accelerator for p in self._pools.values()})
            raise Refused(f"no pool with a {device} accelerator (pools here: {', '.join(known) or 'none'})",
                          "no_pool")
        free = [p for p in qualifying if p.running < p.capacity and not p.queue]
        if free:
            return min(free, key=Pool.load), True
        room = [p for p in qualifying if len(p.queue) < p.max_queue]
        if not room:
            for p in qualifying:
                p.refused += 1
            sizes = ", ".join(f"{p.name}: {p.running}/{p.capacity} running, {len(p.queue)}/{p.max_queue} queued"
                              for p in qualifying)
            raise Refused(f"every {device} pool is full ({sizes}); try again later", "queue_full")
        return min(room, key=Pool.load), False

    def dispatch(self, call: Call) -> Result:
        """Run call.work(pool) in a slot of a qualifying pool, waiting in that pool's FIFO
        queue when it must. Refused when nothing qualifies, every queue is full, or the wait
        exceeds call.timeout_s; CallFailed (with the original error) when the work raises."""
        t0 = self._clock()
        real_deadline = None if call.timeout_s is None else time.monotonic() + call.timeout_s
        with self._cond:
            pool, immediate = self._choose(call.device)
            if not immediate:
                ticket = next(self._tickets)
                pool.queue.append(ticket)
                while not (pool.queue[0] == ticket and pool.running < pool.capacity):
                    remaining = None if real_deadline is None else real_deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        pool.queue.remove(ticket)
                        pool.refused += 1
                        self._cond.notify_all()  # the next in line may now be at the head
                        waited = (self._clock() - t0) * 1000
                        raise Refused(f"waited {waited:.0f} ms for a slot in pool {pool.name!r} "
                                      f"(limit {call.timeout_s * 1000:.0f} ms); try again later",
                                      "timeout", pool.name, waited)
                    self._cond.wait(remaining)
                pool.queue.popleft()
            pool.running += 1
            start = self._clock()
            token = object()
            pool.starts[token] = start
            wait_ms = (start - t0) * 1000
        error = None
        try:
            value = call.work(pool)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller as CallFailed
            error = exc
        with self._cond:
            end = self._clock()
            run_ms = (end - start) * 1000
            pool.running -= 1
            del pool.starts[token]
            pool.intervals.append((start, end))
            self._prune(pool, end)
            pool.waits_ms.append(wait_ms)
            pool.runs_ms.append(run_ms)
            if error is None:
                pool.done += 1
            else:
                pool.failed += 1
            self._cond.notify_all()
        if error is not None:
            raise CallFailed(error, pool, wait_ms, run_ms) from error
        overhead_ms = max((self._clock() - t0) * 1000 - wait_ms - run_ms, 0.0)
        return Result(value, pool, pool.simulated, pool.simulated_reason, wait_ms, run_ms, overhead_ms)

    # -- utilisation ------------------------------------------------------------------

    def _prune(self, pool, now):
        horizon = now - self._window_s
        while pool.intervals and pool.intervals[0][1] < horizon:
            pool.intervals.popleft()

    def _busy(self, pool, now):
        """Slot-seconds spent running over capacity x window; a young dispatcher's window
        is its age, so the first minute is not reported as mostly idle."""
        window = min(self._window_s, now - self._created)
        if window <= 0:
            return 0.0
        horizon = now - window
        used = sum(max(0.0, end - max(start, horizon)) for start, end in pool.intervals)
        used += sum(max(0.0, now - max(start, horizon)) for start in pool.starts.values())
        return min(used / (pool.capacity * window), 1.0)

    def utilisation(self) -> list[dict]:
        with self._cond:
            now = self._clock()
            rows = []
            for p in self._pools.values():
                self._prune(p, now)
                rows.append({
                    "pool": p.name, "ref": p.ref, "accelerator": p.accelerator, "capacity": p.capacity,
                    "max_queue": p.max_queue, "running": p.running, "queued": len(p.queue),
                    "busy": round(self._busy(p, now), 4), "window_s": self._window_s,
                    "done": p.done, "failed": p.failed, "refused": p.refused,
                    "simulated": p.simulated, "simulated_reason": p.simulated_reason,
                    "wait_ms_p50": _round(percentile(p.waits_ms, 0.5)),
                    "wait_ms_p95": _round(percentile(p.waits_ms, 0.95)),
                    "run_ms_p50": _round(percentile(p.runs_ms, 0.5)),
                    "run_ms_p95": _round(percentile(p.runs_ms, 0.95)),
                })
            return rows


def _round(v):
    return None if v is None else round(v, 3)
