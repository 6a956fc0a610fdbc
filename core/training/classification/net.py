"""The classifier: ppdet's PP-LCNet backbone (its last stage), global average pooling, dropout
and a linear head; and what loads a pre-trained backbone into it. Imported by the child only."""
import paddle
from paddle import nn
from ppdet.modeling.backbones.lcnet import LCNet

LAST_STAGE = 5  # LCNet numbers its stages' outputs 2 (blocks3) .. 5 (blocks6)


class BackboneMismatch(ValueError):
    """A pre-trained state dict that does not fit this backbone: nothing of it is loaded."""


class Classifier(nn.Layer):
    def __init__(self, num_classes, scale=0.5, dropout=0.2):
        super().__init__()
        self.backbone = LCNet(scale=scale, feature_maps=[LAST_STAGE])
        self.pool = nn.AdaptiveAvgPool2D(1)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.backbone.out_shape[-1].channels, num_classes)

    def features(self, image):
        # The stages are called one by one rather than through LCNet.forward: its list
        # comprehension over feature_maps is what dy2static mistranslates (detection compat
        # patch 5), and only the last stage is wanted here.
        b = self.backbone
        x = b.blocks2(b.conv1(image))
        return b.blocks6(b.blocks5(b.blocks4(b.blocks3(x))))

    def forward(self, image):
        pooled = paddle.flatten(self.pool(self.features(image)), start_axis=1)
        return self.head(self.dropout(pooled))


class Probabilities(nn.Layer):
    """What is exported: the classifier's softmax, so both serving formats answer probabilities."""

    def __init__(self, classifier):
        super().__init__()
        self.classifier = classifier

    def forward(self, image):
        return nn.functional.softmax(self.classifier(image), axis=-1)


def read_state(path) -> dict:
    """{name: array} of a state dict file: a preset's .npz (arrays only: nothing unpickled) or a
    Paddle .pdparams (pickled; only from trusted callers, see trainers/image_classification.py)."""
    import numpy as np

    if str(path).endswith(".npz"):
        with np.load(str(path), allow_pickle=False) as arrays:
            return {k: arrays[k] for k in arrays.files}
    state = paddle.load(str(path), return_numpy=True)
    if not isinstance(state, dict):
        raise BackboneMismatch(f"{path} is not a state dict (a mapping of tensor names to tensors)")
    return state


def load_backbone(backbone, path) -> dict:
    """Set every tensor of the backbone from a state dict keyed as the backbone's own
    state_dict(), or refuse: a file of another width or family, half loaded, would train a
    network nobody asked for. Returns {"loaded", "unused"} (tensor counts)."""
    import numpy as np

    state = read_state(path)
    own = backbone.state_dict()
    missing = [k for k in own if k not in state]
    wrong = [f"{k} {list(np.shape(state[k]))} (the backbone's is {list(own[k].shape)})"
             for k in own if k in state and list(np.shape(state[k])) != list(own[k].shape)]
    if missing or wrong:
        problems = ([f"{len(wrong)} tensors of another shape: " + "; ".join(wrong[:3])] if wrong else []) + \
                   ([f"{len(missing)} tensors missing: " + ", ".join(missing[:3])] if missing else [])
        raise BackboneMismatch(f"the file does not fit PP-LCNet x{backbone.scale} ({len(own)} tensors): "
                               + "; ".join(problems))
    backbone.set_state_dict({k: paddle.to_tensor(np.asarray(state[k])).astype(own[k].dtype) for k in own})
    return {"loaded": len(own), "unused": len(state) - len(own)}


def save_backbone(backbone, path):
    """The backbone's tensors as a .npz of arrays under its own keys (the preset format)."""
    import numpy as np

    np.savez(str(path), **{k: v.numpy() for k, v in backbone.state_dict().items()})
