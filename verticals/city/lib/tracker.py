"""A ByteTrack-style multi-object tracker (pure numpy/scipy).

Each frame: predict every track's box with a constant velocity, match the confident
detections to the tracks by IoU (Hungarian assignment), then give the low-score
detections a second chance on the tracks left over - a partly occluded object scores low
but should keep its id. Unmatched confident detections start tentative tracks, confirmed
after `min_hits` frames; a track unseen for `max_lost` frames is dropped. Ids are never
reused."""
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Detection:
    box: tuple  # (x1, y1, x2, y2)
    score: float
    cls: str


@dataclass
class Track:
    track_id: int
    box: tuple
    score: float
    first_seen: float
    last_seen: float
    cls_votes: Counter = field(default_factory=Counter)
    history: list = field(default_factory=list)  # (t, cx, bottom y): the ground point rules use
    hits: int = 1
    lost: int = 0
    confirmed: bool = False
    velocity: tuple = (0.0, 0.0)  # centre shift per frame, smoothed
    observed: tuple = ()  # the last detected box; `box` drifts with the prediction while lost

    @property
    def cls(self):
        return self.cls_votes.most_common(1)[0][0] if self.cls_votes else ""

    @property
    def point(self):
        x1, _, x2, y2 = self.box
        return ((x1 + x2) / 2.0, y2)

    def predicted(self):
        # Shift only: a blob's size jitters from frame to frame, its position moves steadily.
        dx, dy = self.velocity
        x1, y1, x2, y2 = self.box
        return (x1 + dx, y1 + dy, x2 + dx, y2 + dy)


def iou_matrix(a, b):
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b)))
    a, b = np.asarray(a, float)[:, None, :], np.asarray(b, float)[None, :, :]
    ix1, iy1 = np.maximum(a[..., 0], b[..., 0]), np.maximum(a[..., 1], b[..., 1])
    ix2, iy2 = np.minimum(a[..., 2], b[..., 2]), np.minimum(a[..., 3], b[..., 3])
    inter = np.clip(ix2 - ix1, 0, None) * np.clip(iy2 - iy1, 0, None)
    area = lambda x: (x[..., 2] - x[..., 0]) * (x[..., 3] - x[..., 1])  # noqa: E731
    return inter / np.maximum(area(a) + area(b) - inter, 1e-9)


def _match(tracks, dets, min_iou):
    """(matched pairs, unmatched track indexes, unmatched detection indexes)."""
    if not tracks or not dets:
        return [], list(range(len(tracks))), list(range(len(dets)))
    iou = iou_matrix([t.predicted() for t in tracks], [d.box for d in dets])
    rows, cols = linear_sum_assignment(-iou)
    pairs = [(r, c) for r, c in zip(rows, cols) if iou[r, c] >= min_iou]
    used_t, used_d = {r for r, _ in pairs}, {c for _, c in pairs}
    return pairs, [i for i in range(len(tracks)) if i not in used_t], [j for j in range(len(dets)) if j not in used_d]


class Tracker:
    def __init__(self, high_thresh=0.5, low_thresh=0.1, match_iou=0.3, max_lost=30, min_hits=2, history=300):
        if not 0 <= low_thresh <= high_thresh <= 1:
            raise ValueError("need 0 <= low_thresh <= high_thresh <= 1")
        self.high, self.low, self.min_iou = high_thresh, low_thresh, match_iou
        self.max_lost, self.min_hits, self.history_len = int(max_lost), int(min_hits), int(history)
        self.tracks: list[Track] = []
        self._next_id = 1

    def _update_track(self, track, det, t):
        # Velocity from the last *observed* box over the frames since: measuring from the
        # extrapolated box would only see the prediction's residual and halve the speed
        # after every miss.
        last = track.observed or track.box
        ox, oy = (last[0] + last[2]) / 2, (last[1] + last[3]) / 2
        nx, ny = (det.box[0] + det.box[2]) / 2, (det.box[1] + det.box[3]) / 2
        steps = track.lost + 1
        vx, vy = (nx - ox) / steps, (ny - oy) / steps
        if track.hits == 1:  # the first measured shift is all we know: no smoothing towards zero
            track.velocity = (vx, vy)
        else:
            track.velocity = (0.6 * track.velocity[0] + 0.4 * vx, 0.6 * track.velocity[1] + 0.4 * vy)
        track.box, track.score, track.last_seen = tuple(float(v) for v in det.box), float(det.score), t
        track.observed = track.box
        track.cls_votes[det.cls] += 1
        track.hits += 1
        track.lost = 0
        if track.hits >= self.min_hits:
            track.confirmed = True
        track.history.append((t, *track.point))
        del track.history[:-self.history_len]

    def update(self, detections, t):
        """Feed one frame's detections (at time t, seconds); returns the confirmed tracks
        seen in this frame."""
        high = [d for d in detections if d.score >= self.high]
        low = [d for d in detections if self.low <= d.score < self.high]
        seen = set()
        pairs, rest, new = _match(self.tracks, high, self.min_iou)
        for ti, di in pairs:
            self._update_track(self.tracks[ti], high[di], t)
            seen.add(self.tracks[ti].track_id)
        leftovers = [self.tracks[i] for i in rest]
        pairs2, _, _ = _match(leftovers, low, self.min_iou)
        for ti, di in pairs2:
            self._update_track(leftovers[ti], low[di], t)
            seen.add(leftovers[ti].track_id)
        for track in self.tracks:
            if track.track_id not in seen:
                track.lost += 1
                track.box = track.predicted()
        self.tracks = [tr for tr in self.tracks if tr.lost <= self.max_lost and (tr.confirmed or tr.lost == 0)]
        for di in new:
            d = high[di]
            box = tuple(float(v) for v in d.box)
            track = Track(track_id=self._next_id, box=box, observed=box, score=float(d.score),
                          first_seen=t, last_seen=t, cls_votes=Counter({d.cls: 1}),
                          confirmed=self.min_hits <= 1)
            track.history.append((t, *track.point))
            self._next_id += 1
            self.tracks.append(track)
            seen.add(track.track_id)
        return [tr for tr in self.tracks if tr.confirmed and tr.track_id in seen]
