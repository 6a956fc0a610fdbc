"""PP-LCNet weights from another exporter's file, renamed to the keys ppdet's LCNet backbone
uses (ppdet/modeling/backbones/lcnet.py), so a detector or classifier built on that backbone
can start from them. Pure: numpy arrays in, numpy arrays out.

The layout below follows ppdet's LCNet: its state_dict order (conv, then batch-norm weight,
bias, mean and variance per ConvBNLayer; a block's depthwise conv, its SE module, then its
pointwise conv) and channel widths (make_divisible of the x1.0 widths times `scale`).
tests/training/test_presets.py checks it against ppdet's own module in a child process."""
from __future__ import annotations

import re

# (kernel, in, out, stride, squeeze-excite) per block, as PaddleClas and ppdet define PP-LCNet
BLOCKS = {
    "blocks2": [(3, 16, 32, 1, False)],
    "blocks3": [(3, 32, 64, 2, False), (3, 64, 64, 1, False)],
    "blocks4": [(3, 64, 128, 2, False), (3, 128, 128, 1, False)],
    "blocks5": [(3, 128, 256, 2, False)] + [(5, 256, 256, 1, False)] * 5,
    "blocks6": [(5, 256, 512, 2, True), (5, 512, 512, 1, True)],
}
# What each tensor of a Paddle-named export is: "conv2d_3.w_0" is a conv weight, and so on.
PADDLE_ROLES = {("conv2d", "w_0"): "conv.weight", ("conv2d", "b_0"): "conv.bias",
                ("batch_norm2d", "w_0"): "bn.weight", ("batch_norm2d", "b_0"): "bn.bias",
                ("batch_norm2d", "w_1"): "bn._mean", ("batch_norm2d", "w_2"): "bn._variance"}
_PADDLE_NAME = re.compile(r"^(conv2d|batch_norm2d|linear)_(\d+)\.([wb]_\d)(?:_deepcopy_(\d+))?$")
_RESHAPED_BIAS = re.compile(r"^p2o\.pd_op\.reshape\.\d+\.0$")


class LayoutMismatch(ValueError):
    """The file's tensors are not PP-LCNet's at this scale: nothing is returned half-mapped."""


def make_divisible(v, divisor=8, min_value=None):
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def _conv_bn(prefix, out_c, in_per_group, k):
    return [(f"{prefix}.conv.weight", (out_c, in_per_group, k, k), "conv.weight"),
            (f"{prefix}.bn.weight", (out_c,), "bn.weight"), (f"{prefix}.bn.bias", (out_c,), "bn.bias"),
            (f"{prefix}.bn._mean", (out_c,), "bn._mean"), (f"{prefix}.bn._variance", (out_c,), "bn._variance")]


def layout(scale: float = 1.0) -> list[tuple[str, tuple, str]]:
    """[(ppdet state_dict key, shape, role)] of LCNet(scale), in its state_dict order."""
    stem = make_divisible(16 * scale)
    out = _conv_bn("conv1", stem, 3, 3)
    for stage, blocks in BLOCKS.items():
        for i, (k, in_c, out_c, _stride, se) in enumerate(blocks):
            cin, cout = make_divisible(in_c * scale), make_divisible(out_c * scale)
            out += _conv_bn(f"{stage}.{i}.dw_conv", cin, 1, k)
            if se:
                mid = cin // 4
                out += [(f"{stage}.{i}.se.conv1.weight", (mid, cin, 1, 1), "conv.weight"),
                        (f"{stage}.{i}.se.conv1.bias", (mid,), "conv.bias"),
                        (f"{stage}.{i}.se.conv2.weight", (cin, mid, 1, 1), "conv.weight"),
                        (f"{stage}.{i}.se.conv2.bias", (cin,), "conv.bias")]
            out += _conv_bn(f"{stage}.{i}.pw_conv", cout, cin, 1)
    return out


def role_of(name: str) -> str | None:
    """What a tensor of a Paddle-named export is, or None for anything else. paddle2onnx keeps
    a layer's own names (conv2d_3.w_0_deepcopy_12), except a conv bias it had to reshape for a
    broadcast Add (the SE modules' biases): that one is named after the reshape."""
    m = _PADDLE_NAME.match(name)
    if m:
        return PADDLE_ROLES.get((m.group(1), m.group(3)))
    return "conv.bias" if _RESHAPED_BIAS.match(name) else None


def map_paddle_export(arrays: dict, scale: float = 1.0) -> dict:
    """{ppdet LCNet key: array} from a Paddle-named export of PP-LCNet, `arrays` in the file's
    order (creation order: ONNX initializers as paddle2onnx writes them). A classifier's
    tensors after the backbone's (the 1280-d conv, the linear head) are left out. Every
    backbone tensor must be found, in order, with its role and shape (a reshaped bias may
    carry the broadcast's extra axes)."""
    expected = layout(scale)
    ordered = [name for name in arrays if role_of(name) is not None]
    if len(ordered) < len(expected):
        raise LayoutMismatch(f"the file has {len(ordered)} PP-LCNet-like tensors; PP-LCNet x{scale} needs "
                             f"{len(expected)}")
    mapped = {}
    for (key, shape, role), name in zip(expected, ordered):
        array = arrays[name]
        if role == "conv.bias" and role_of(name) == role and array.size == shape[0]:
            array = array.reshape(shape)
        if role_of(name) != role or tuple(array.shape) != shape:
            raise LayoutMismatch(f"{key} expects a {role} of shape {shape}; the file's next tensor is {name} "
                                 f"({role_of(name)}, shape {tuple(array.shape)})")
        mapped[key] = array
    return mapped
