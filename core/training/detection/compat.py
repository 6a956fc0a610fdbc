"""Patches ppdet 2.6 needs to run on Paddle 3.3 (see shared/PADDLE.md). Each patch
rewrites one known expression in one function and fails loudly when the expression
is not found, so a ppdet upgrade cannot silently skip a fix."""
import inspect
import re
import textwrap

_applied = False
# Boxes narrower or shorter than this count as this size when an assigner asks which anchor
# points lie inside a ground truth (see set_min_assign_size). 0 keeps ppdet's behaviour.
_min_assign_px = 0.0
# Positive anchors' classification targets are raised to at least this (see set_presence_floor).
_presence_floor = 0.0


class CompatError(RuntimeError):
    pass


def _rewrite(owner, attr, replacements):
    func = getattr(owner, attr)
    func = getattr(func, "__wrapped__", func)
    source = textwrap.dedent(inspect.getsource(func))
    for old, new in replacements:
        # Whitespace-insensitive: the source is dedented and may wrap differently.
        pattern = r"\s*".join(re.escape(part) for part in old.split())
        source, count = re.subn(pattern, new.replace("\\", "\\\\"), source)
        if not count:
            raise CompatError(f"ppdet compat: {owner.__name__}.{attr} no longer contains {old!r}; "
                              "check the patch against this ppdet version")
    lines = source.splitlines()
    # Decorators (e.g. @paddle.no_grad()) are re-applied by exec on the rewritten source.
    module = inspect.getmodule(func)
    namespace = dict(module.__dict__)
    exec(compile("\n".join(lines) + "\n", f"<ppdet-compat {module.__name__}.{attr}>", "exec"), namespace)
    setattr(owner, attr, namespace[attr])


def apply():
    """Idempotent. Call after importing paddle, before building a ppdet model."""
    global _applied
    if _applied:
        return
    import paddle
    from ppdet.engine import trainer as trainer_mod
    from ppdet.modeling import ops
    from ppdet.modeling.assigners import atss_assigner, task_aligned_assigner
    from ppdet.modeling.necks import csp_pan, lc_pan

    # 1. int32 batch index times int64 argmax: Paddle 3 no longer promotes implicitly.
    fix = ("batch_ind * num_max_boxes", "batch_ind.astype(assigned_gt_index.dtype) * num_max_boxes")
    # 6. (not a Paddle 3 fix) The assigners only take anchor points that lie inside a ground
    # truth box. A 3 px defect on a stride-8 grid contains no anchor point most of the time, so
    # it gets no positive sample and is never learned. Centre sampling for small boxes: the
    # inside test sees each box grown to at least the finest stride about its centre; targets,
    # IoUs and losses still use the true box. Off unless the job asks (small_box_sampling).
    # ATSS is left as it is, since it cannot use it: every anchor holding a tiny box ties
    # on IoU, so its mean+std cut keeps none of them whatever the inside test says.
    # 7. (not a Paddle 3 fix) Both assigners make a positive anchor's classification target its
    # IoU with the box, and the head weights box losses by it too. A 3 px defect's IoU stays
    # low while its box is still coarse, so the model is taught to score it low and its
    # loss barely counts: its scores end up under NMS's cut or below every good part's noise,
    # and a line has to reject at a threshold that over-kills. A presence floor keeps the
    # target at least that high for every positive (1.0: "there is a defect here" outright).
    # Off unless the job asks (presence_target).
    returns = ("return assigned_labels, assigned_bboxes, assigned_scores, mask_positive",
               "return assigned_labels, assigned_bboxes, _zt_presence(assigned_scores, assigned_labels, "
               "bg_index), mask_positive")
    task_aligned_assigner._zt_at_least = _at_least
    task_aligned_assigner._zt_presence = atss_assigner._zt_presence = _presence
    _rewrite(atss_assigner.ATSSAssigner, "forward", [fix, returns])
    _rewrite(task_aligned_assigner.TaskAlignedAssigner, "forward", [
        fix, ("is_in_gts = check_points_inside_bboxes(anchor_points, gt_bboxes)",
              "is_in_gts = check_points_inside_bboxes(anchor_points, _zt_at_least(gt_bboxes))"), returns])

    # 2. Export must trace the whole graph into one PIR program.
    _rewrite(trainer_mod.Trainer, "_get_infer_cfg_and_input_spec",
             [("static_model = paddle.jit.to_static( self.model, input_spec=input_spec)",
               "static_model = paddle.jit.to_static(self.model, input_spec=input_spec, full_graph=True)")])

    # 3. multiclass_nms has no PIR branch; the C++ op exists.
    original_nms = ops.multiclass_nms

    def multiclass_nms(bboxes, scores, score_threshold, nms_top_k, keep_top_k, nms_threshold=0.3,
                       normalized=True, nms_eta=1.0, background_label=-1, return_index=False,
                       return_rois_num=True, rois_num=None, name=None):
        if paddle.framework.in_pir_mode():
            out, index, nms_rois_num = paddle._C_ops.multiclass_nms3(
                bboxes, scores, rois_num, score_threshold, nms_top_k, keep_top_k, nms_threshold, normalized,
                nms_eta, background_label)
            return out, (nms_rois_num if return_rois_num else None), (index if return_index else None)
        return original_nms(bboxes, scores, score_threshold, nms_top_k, keep_top_k, nms_threshold, normalized,
                            nms_eta, background_label, return_index, return_rois_num, rois_num, name)

    ops.multiclass_nms = multiclass_nms

    # 4. nn.Upsample(scale_factor=2) exports a float64 attribute paddle2onnx rejects; an
    # explicit output size exports cleanly. Swapped in after __init__ (not by rewriting
    # forward: dy2static needs the real source of every forward it converts).
    for owner in (lc_pan.LCPAN, csp_pan.CSPPAN):
        _swap_upsample(owner)

    # 5. dy2static mistranslates LCNet's `[o for i, o in enumerate(outs) if i + 2 in ...]`
    # (the neck then sees the wrong number of maps); plain Python traces it correctly.
    from ppdet.modeling.backbones import lcnet

    if not getattr(lcnet.LCNet.forward, "_zhongtai_compat", False):
        lcnet.LCNet.forward = paddle.jit.not_to_static(lcnet.LCNet.forward)
        lcnet.LCNet.forward._zhongtai_compat = True
    _applied = True


def set_min_assign_size(px):
    """Grow boxes smaller than px (the head's finest stride) for the assigners' inside test."""
    global _min_assign_px
    _min_assign_px = max(0.0, float(px))


def _at_least(bboxes):
    if _min_assign_px <= 0:
        return bboxes
    import paddle

    x1, y1, x2, y2 = bboxes.chunk(4, axis=-1)
    cx, cy = (x1 + x2) * 0.5, (y1 + y2) * 0.5
    half = paddle.full_like(x1, _min_assign_px * 0.5)
    hw, hh = paddle.maximum((x2 - x1) * 0.5, half), paddle.maximum((y2 - y1) * 0.5, half)
    return paddle.concat([cx - hw, cy - hh, cx + hw, cy + hh], axis=-1)


def set_presence_floor(value):
    """Raise positive anchors' classification targets to at least value (0 keeps ppdet's)."""
    global _presence_floor
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError("the presence floor is a target score between 0 and 1")
    _presence_floor = float(value)


def _presence(scores, labels, bg_index):
    if _presence_floor <= 0:
        return scores
    import paddle
    import paddle.nn.functional as F

    num_classes = scores.shape[-1]
    keep = paddle.to_tensor([i for i in range(num_classes + 1) if i != bg_index])
    positive = paddle.index_select(F.one_hot(labels, num_classes + 1), keep, axis=-1).astype(scores.dtype)
    return paddle.maximum(scores, positive * _presence_floor)


def _swap_upsample(owner):
    original_init = owner.__init__
    if getattr(original_init, "_zhongtai_compat", False):
        return

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.upsample = _nearest_upsample_2x()

    __init__._zhongtai_compat = True
    owner.__init__ = __init__


def _nearest_upsample_2x():
    import paddle
    import paddle.nn.functional as F

    class NearestUpsample2x(paddle.nn.Layer):
        def forward(self, x):
            h, w = x.shape[2], x.shape[3]
            if isinstance(h, int) and isinstance(w, int) and h > 0 and w > 0:
                return F.interpolate(x, size=[h * 2, w * 2], mode="nearest")
            return F.interpolate(x, size=paddle.shape(x)[2:] * 2, mode="nearest")

    return NearestUpsample2x()
