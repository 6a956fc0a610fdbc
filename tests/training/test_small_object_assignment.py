"""The opt-in assigner changes for objects a few pixels across. Compat patch 6: a ground
truth smaller than the finest stride still gets anchor points inside it, and nothing else
about the boxes changes. Compat patch 7: with a presence floor, every positive anchor's
classification target at its class is at least the floor (the assigners otherwise use the
box IoU), and negatives and other classes keep a zero target."""
import numpy as np
import pytest

paddle = pytest.importorskip("paddle")

from core.training.detection import compat  # noqa: E402


@pytest.fixture
def min_size():
    compat.apply()
    yield compat.set_min_assign_size
    compat.set_min_assign_size(0)


def _points(stride, size):
    c = np.arange(size // stride, dtype=np.float32) * stride + stride / 2
    xx, yy = np.meshgrid(c, c)
    return paddle.to_tensor(np.stack([xx.ravel(), yy.ravel()], axis=1))


def test_tiny_boxes_get_an_anchor_point_and_large_ones_keep_their_extent(min_size):
    from ppdet.modeling.assigners.utils import check_points_inside_bboxes

    points = _points(8, 64)
    # a 3x3 defect between anchor points, and a 30x20 one
    boxes = paddle.to_tensor(np.array([[[9.0, 21.0, 12.0, 24.0], [10.0, 10.0, 40.0, 30.0]]], np.float32))
    before = check_points_inside_bboxes(points, boxes).numpy()
    assert before[0, 0].sum() == 0 and before[0, 1].sum() > 0
    min_size(8)
    grown = compat._at_least(boxes).numpy()
    after = check_points_inside_bboxes(points, compat._at_least(boxes)).numpy()
    assert after[0, 0].sum() >= 1 and (after[0, 1] == before[0, 1]).all()
    np.testing.assert_allclose(grown[0, 0], [6.5, 18.5, 14.5, 26.5])
    np.testing.assert_allclose(grown[0, 1], boxes.numpy()[0, 1])
    min_size(0)
    assert compat._at_least(boxes) is boxes


def test_task_aligned_assigner_gives_a_tiny_defect_positives_only_with_the_patch(min_size):
    from ppdet.modeling.assigners.task_aligned_assigner import TaskAlignedAssigner

    points = _points(8, 64)
    n = points.shape[0]
    pred_boxes = paddle.concat([points - 12, points + 12], axis=-1).unsqueeze(0)  # what an early model predicts
    pred_scores = paddle.full([1, n, 7], 0.1)
    gt_boxes = paddle.to_tensor(np.array([[[9.0, 21.0, 12.0, 24.0], [30.0, 30.0, 50.0, 46.0]]], np.float32))
    gt_labels = paddle.to_tensor(np.array([[[3], [1]]], np.int32))
    pad = paddle.ones([1, 2, 1])

    def positives():
        labels, _, _, _ = TaskAlignedAssigner(topk=13)(pred_scores, pred_boxes, points, [n], gt_labels, gt_boxes,
                                                       pad, bg_index=7)
        labels = labels.numpy()
        return int((labels == 3).sum()), int((labels == 1).sum())

    tiny, large = positives()
    assert tiny == 0 and large > 0
    min_size(8)
    tiny_after, large_after = positives()
    assert tiny_after >= 1 and large_after == large


@pytest.fixture
def floor():
    compat.apply()
    yield compat.set_presence_floor
    compat.set_presence_floor(0)


def _scene():
    points = _points(8, 64)
    n = points.shape[0]
    pred_boxes = paddle.concat([points - 12, points + 12], axis=-1).unsqueeze(0)  # coarse early boxes
    gt_boxes = paddle.to_tensor(np.array([[[6.0, 6.0, 14.0, 13.0], [30.0, 30.0, 50.0, 46.0]]], np.float32))
    gt_labels = paddle.to_tensor(np.array([[[3], [1]]], np.int32))
    return points, n, pred_boxes, gt_boxes, gt_labels, paddle.ones([1, 2, 1])


def _task_aligned():
    from ppdet.modeling.assigners.task_aligned_assigner import TaskAlignedAssigner

    points, n, pred_boxes, gt_boxes, gt_labels, pad = _scene()
    labels, _, scores, _ = TaskAlignedAssigner(topk=13)(paddle.full([1, n, 7], 0.1), pred_boxes, points, [n],
                                                        gt_labels, gt_boxes, pad, bg_index=7)
    return labels.numpy()[0], scores.numpy()[0]


def _atss():
    from ppdet.modeling.assigners.atss_assigner import ATSSAssigner

    points, n, pred_boxes, gt_boxes, gt_labels, pad = _scene()
    anchors = paddle.concat([points - 8, points + 8], axis=-1)  # small enough that both boxes get positives
    labels, _, scores, _ = ATSSAssigner(topk=9, num_classes=7)(anchors, [n], gt_labels, gt_boxes, pad, bg_index=7,
                                                               pred_bboxes=pred_boxes)
    return labels.numpy()[0], scores.numpy()[0]


@pytest.mark.parametrize("assign", [_task_aligned, _atss], ids=["task-aligned", "atss"])
def test_positive_targets_are_raised_to_the_floor_and_nothing_else_changes(floor, assign):
    labels, iou_targets = assign()
    positive = labels != 7
    assert {3, 1} <= set(labels[positive].tolist())
    rows = np.nonzero(positive)[0]
    # Without the patch the target is the IoU of a coarse box: well under 1 for the small defect.
    small = iou_targets[rows[labels[rows] == 3], 3]
    assert small.max() < 0.6
    floor(0.8)
    same_labels, raised = assign()
    assert (same_labels == labels).all()
    expected = np.zeros_like(iou_targets)
    expected[rows, labels[rows]] = np.maximum(iou_targets[rows, labels[rows]], 0.8)
    np.testing.assert_allclose(raised, expected, rtol=1e-6, atol=1e-6)
    floor(0)
    np.testing.assert_allclose(assign()[1], iou_targets)


def test_the_floor_is_a_score():
    with pytest.raises(ValueError):
        compat.set_presence_floor(1.5)
