"""The detector configs a job may name render whole: a variant names only what differs and
run.load_yaml merges it into its _BASE_ key by key, as ppdet does."""
import yaml

from core.training.detection.run import ARCHITECTURES, BASE_CONFIG, load_yaml, render_config


def test_the_stride_4_variant_overrides_only_what_it_names():
    base, p2 = load_yaml(BASE_CONFIG), load_yaml(ARCHITECTURES["picodet-s-p2"][0])
    assert p2["PicoHeadV2"]["fpn_stride"] == [4, 8, 16, 32] and base["PicoHeadV2"]["fpn_stride"] == [8, 16, 32, 64]
    # a nested override keeps its siblings: NMS without its name or top-k would not build
    assert p2["PicoHeadV2"]["nms"] == {**base["PicoHeadV2"]["nms"], "score_threshold": 0.05}
    assert p2["PicoHeadV2"]["conv_feat"] == {**base["PicoHeadV2"]["conv_feat"], "feat_in": 64, "feat_out": 64,
                                             "num_convs": 1}
    assert p2["TrainReader"] == base["TrainReader"] and "_BASE_" not in p2


def test_render_fills_the_job_fields_into_either_architecture(tmp_path):
    spec = {"epochs": 12, "num_classes": 7, "out_dir": str(tmp_path / "out"), "learning_rate": 0.05,
            "batch_size": 4, "dataset_dir": str(tmp_path), "train_ann": "t.json", "eval_ann": "v.json"}
    for name, (path, _) in ARCHITECTURES.items():
        cfg = yaml.safe_load(render_config({**spec, "config": str(path)}, tmp_path / f"{name}.yml").read_text())
        assert (cfg["epoch"], cfg["num_classes"], cfg["TrainReader"]["batch_size"]) == (12, 7, 4)
        assert cfg["LearningRate"]["base_lr"] == 0.05 and cfg["LearningRate"]["schedulers"][0]["max_epochs"] == 12
        assert cfg["PicoHeadV2"]["static_assigner_epoch"] == 4
        assert cfg["TrainDataset"]["anno_path"] == "t.json" and cfg["EvalDataset"]["anno_path"] == "v.json"


def test_the_upscaled_variant_never_trains_below_the_film_and_serves_at_the_top_of_its_range():
    p2, up = load_yaml(ARCHITECTURES["picodet-s-p2"][0]), load_yaml(ARCHITECTURES["picodet-s-p2-384"][0])
    sizes = up["TrainReader"]["batch_transforms"][0]["BatchRandomResize"]["target_size"]
    assert min(sizes) == 320 and max(sizes) == 384
    # the reader's other transforms and fields survive the override of its batch transforms
    assert up["TrainReader"]["batch_transforms"][1:] == p2["TrainReader"]["batch_transforms"][1:]
    assert up["TrainReader"]["sample_transforms"] == p2["TrainReader"]["sample_transforms"]
    assert up["TrainReader"]["batch_size"] == p2["TrainReader"]["batch_size"]
    assert up["TestReader"]["inputs_def"]["image_shape"] == [1, 3, 384, 384]
    resize = [t["Resize"] for t in up["TestReader"]["sample_transforms"] if "Resize" in t]
    assert resize == [{"interp": 2, "target_size": [384, 384], "keep_ratio": False}]
    assert up["PicoHeadV2"] == p2["PicoHeadV2"] and up["LCNet"] == p2["LCNet"]
