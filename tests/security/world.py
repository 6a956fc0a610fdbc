"""Branch A's objects of every kind the platform serves, and the paths that name
each one, for the isolation test. Core objects come from the actions (through the
pages' scene); vertical rows the actions only make after training or a camera run
are written directly, as those runs would leave them."""
from django.utils import timezone

from core.hub.models import AliasChangeRequest, ModelVersion, RegisteredModel
from core.inference.models import Deployment
from core.kg.models import Entity, Graph

from ..ui import scene

MARK = "secreta"  # every name of branch A starts with it; a list that shows it leaks


def build_branch(org, dev):
    from verticals.city.models import (
        Algorithm,
        Camera,
        ComputePool,
        Event,
        MapLayer,
        Rule,
    )
    from verticals.energy.models import FaultIncident, Grid
    from verticals.finance.models import ModelRiskRecord
    from verticals.manufacturing.models import Inspection, Station

    o = scene.branch_chain(org, dev, MARK)
    o["images_version"] = _coco_version(o["dataset"], dev)
    from core.data.actions.labelling import create_project

    o["label_project"] = create_project(name=f"{MARK}-labels", source=o["images_version"],
                                        classes=["scratch", "black_spot"], acting_user=dev)
    o["label_task"] = o["label_project"].tasks.first()
    now = timezone.now()
    o["artifact"] = o["version"].artifact
    o["alias_request"] = AliasChangeRequest.objects.create(model=o["model"], alias="champion", version=o["version"],
                                                           requested_by=dev, reason=f"{MARK} request")
    o["graph"] = Graph.objects.create(name=f"{MARK}-grid", organisation=org, vertical="energy")
    o["entity"] = Entity.objects.create(graph=o["graph"], key="line:0", cls="Line")
    o["grid"] = Grid.objects.create(graph=o["graph"], case=f"{MARK}-case")
    o["fault"] = FaultIncident.objects.create(grid=o["grid"], element="line:0", title=f"{MARK} trip", opened_at=now)
    o["station"] = Station.objects.create(code=f"{MARK}-st", name=f"{MARK} station", organisation=org,
                                          deployment=o["deployment"])
    o["inspection"] = Inspection.objects.create(
        station=o["station"], prediction=o["prediction"], model_version=o["version"], image=o["artifact"],
        image_width=8, image_height=8, verdict="pass", threshold=0.5)
    o["risk"] = ModelRiskRecord.objects.create(model=o["model"], owner=dev, purpose=f"{MARK} purpose")
    # Finance pages show finance models only: a scorecard of branch A's, as a finance job leaves it.
    o["card"] = RegisteredModel.objects.create(name=f"{MARK}-card", organisation=org, vertical="finance",
                                               model_type="credit_scorecard", created_by=dev)
    o["card_version"] = ModelVersion.objects.create(model=o["card"], version=1, artifact=o["artifact"],
                                                    created_by=dev)
    o["card_deployment"] = Deployment.objects.create(name=f"{MARK}-scoring", organisation=org,
                                                     model_version=o["card_version"], profile="cpu-scorecard",
                                                     created_by=dev)
    o["camera"] = Camera.objects.create(organisation=org, code=f"{MARK}-cam", name=f"{MARK} camera",
                                        source="/nonexistent.mp4")
    o["rule"] = Rule.objects.create(camera=o["camera"], name=f"{MARK} rule", kind="zone_entry")
    o["event"] = Event.objects.create(organisation=org, camera=o["camera"], kind="zone_entry",
                                      title=f"{MARK} event", occurred_at=now, evidence=o["artifact"])
    o["pool"] = ComputePool.objects.create(organisation=org, name=f"{MARK}-pool", accelerator="cpu")
    o["layer"] = MapLayer.objects.create(organisation=org, name=f"{MARK}-roads", title=f"{MARK} roads",
                                         kind="roads", source="test")
    o["study"] = _study(org, dev, o)
    o["evaluation"] = _evaluation(dev, o)
    o["algorithm"] = Algorithm.objects.create(organisation=org, name=f"{MARK}-algo", model_version=o["version"],
                                              profile="dummy-cpu-numpy")
    return o


def _study(org, dev, o):
    """A study as its trial jobs leave it: one complete trial (the scene's finished job)."""
    from core.training.models import Study, Trial

    study = Study.objects.create(organisation=org, recipe="tabular_classification", dataset_version=o["dataset_version"],
                                 target_model=o["model"], params={"target": MARK}, metric="roc_auc",
                                 direction="maximize", budget_trials=3, created_by=dev)
    Trial.objects.create(study=study, number=0, params={}, job=o["job"], status="complete", value=0.9)
    return study


def _evaluation(dev, o):
    """A detection evaluation of the version with one thumbnail, as a detection job records it."""
    import tempfile
    import zipfile
    from pathlib import Path

    from core.hub.actions.evaluations import record_evaluation
    from core.training.lib.evaluation import detection_report

    gt = {"images": [{"id": 1, "file_name": f"{MARK}.png"}], "categories": [{"id": 1, "name": "scratch"}],
          "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 4, 4]}]}
    summary, report = detection_report(gt, {1: [{"class_id": 0, "score": 0.9, "box": [5, 5, 8, 8]}]}, ["scratch"])
    report["false_positives"][0]["image"] = "fp-0000.jpg"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "thumbnails.zip"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("fp-0000.jpg", b"\xff\xd8\xff\xd9")
        return record_evaluation(o["version"], kind="detection", dataset_version=o["dataset_version"],
                                 summary=summary, report=report, images=path, split=f"{MARK} split", acting_user=dev)


def _coco_version(dataset, dev):
    """A real packaged detection version (the scene's is a placeholder artifact): the gallery
    and its images need one."""
    import tempfile
    from pathlib import Path

    from core.data.actions.importers import import_coco

    from ..data.conftest import write_coco, zip_folder

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_coco(Path(tmp) / "coco")
        return import_coco(zip_folder(folder, Path(tmp) / "coco.zip"), dataset=dataset, acting_user=dev)


# Every URL pattern that names an object, with the path naming branch A's object.
# A pattern missing here fails test_every_object_pattern_has_a_generator.
TARGETS = {
    "api/v1/^organisations/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/organisations/{o['org'].pk}/",
    "api/v1/^organisations/(?P<pk>[^/.]+)/members/$": lambda o: f"/api/v1/organisations/{o['org'].pk}/members/",
    "api/v1/lineage/<str:kind>/<int:pk>/": lambda o: [
        f"/api/v1/lineage/{k}/{o[n].pk}/" for k, n in (("dataset_version", "dataset_version"),
                                                       ("training_run", "run"), ("model_version", "version"),
                                                       ("deployment", "deployment"), ("prediction", "prediction"))],
    "api/v1/^artifacts/(?P<sha256>[0-9a-f]{64})/$": lambda o: f"/api/v1/artifacts/{o['artifact'].sha256}/",
    "api/v1/^artifacts/(?P<sha256>[0-9a-f]{64})/download/$":
        lambda o: f"/api/v1/artifacts/{o['artifact'].sha256}/download/",
    "api/v1/^models/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/models/{o['model'].pk}/",
    "api/v1/^models/(?P<pk>[^/.]+)/aliases/$": lambda o: f"/api/v1/models/{o['model'].pk}/aliases/",
    "api/v1/^models/(?P<pk>[^/.]+)/versions/$": lambda o: f"/api/v1/models/{o['model'].pk}/versions/",
    "api/v1/^versions/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/versions/{o['version'].pk}/",
    "api/v1/^versions/(?P<pk>[^/.]+)/evidence/$": lambda o: f"/api/v1/versions/{o['version'].pk}/evidence/",
    "api/v1/^versions/(?P<pk>[^/.]+)/evaluations/$": lambda o: f"/api/v1/versions/{o['version'].pk}/evaluations/",
    "api/v1/^alias-requests/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/alias-requests/{o['alias_request'].pk}/",
    "api/v1/^alias-requests/(?P<pk>[^/.]+)/approve/$":
        lambda o: f"/api/v1/alias-requests/{o['alias_request'].pk}/approve/",
    "api/v1/^alias-requests/(?P<pk>[^/.]+)/reject/$":
        lambda o: f"/api/v1/alias-requests/{o['alias_request'].pk}/reject/",
    "api/v1/^datasets/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/datasets/{o['dataset'].pk}/",
    "api/v1/^datasets/(?P<pk>[^/.]+)/import-coco/$": lambda o: f"/api/v1/datasets/{o['dataset'].pk}/import-coco/",
    "api/v1/^datasets/(?P<pk>[^/.]+)/import-table/$": lambda o: f"/api/v1/datasets/{o['dataset'].pk}/import-table/",
    "api/v1/^datasets/(?P<pk>[^/.]+)/import-voc/$": lambda o: f"/api/v1/datasets/{o['dataset'].pk}/import-voc/",
    "api/v1/^datasets/(?P<pk>[^/.]+)/import-text/$": lambda o: f"/api/v1/datasets/{o['dataset'].pk}/import-text/",
    "api/v1/^datasets/(?P<pk>[^/.]+)/import-classes/$":
        lambda o: f"/api/v1/datasets/{o['dataset'].pk}/import-classes/",
    "api/v1/^datasets/(?P<pk>[^/.]+)/versions/$": lambda o: f"/api/v1/datasets/{o['dataset'].pk}/versions/",
    "api/v1/^datasets/(?P<pk>[^/.]+)/versions/(?P<number>[0-9]+)/samples/$":
        lambda o: f"/api/v1/datasets/{o['dataset'].pk}/versions/{o['images_version'].version}/samples/",
    "api/v1/^datasets/(?P<pk>[^/.]+)/versions/(?P<number>[0-9]+)/export/(?P<fmt>[a-z0-9]+)/$": lambda o: [
        f"/api/v1/datasets/{o['dataset'].pk}/versions/{o['images_version'].version}/export/{fmt}/"
        for fmt in ("coco", "voc", "csv")],
    "api/v1/^datasets/(?P<pk>[^/.]+)/publish/$": lambda o: f"/api/v1/datasets/{o['dataset'].pk}/publish/",
    "api/v1/^datasets/(?P<pk>[^/.]+)/diff/$": lambda o: (
        f"/api/v1/datasets/{o['dataset'].pk}/diff/?from={o['images_version'].version}&to={o['images_version'].version}"),
    "api/v1/^label-projects/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/label-projects/{o['label_project'].pk}/",
    "api/v1/^label-projects/(?P<pk>[^/.]+)/assign/$":
        lambda o: f"/api/v1/label-projects/{o['label_project'].pk}/assign/",
    "api/v1/^label-projects/(?P<pk>[^/.]+)/cut/$": lambda o: f"/api/v1/label-projects/{o['label_project'].pk}/cut/",
    "api/v1/^label-tasks/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/label-tasks/{o['label_task'].pk}/",
    "api/v1/^label-tasks/(?P<pk>[^/.]+)/review/$": lambda o: f"/api/v1/label-tasks/{o['label_task'].pk}/review/",
    "api/v1/^label-tasks/(?P<pk>[^/.]+)/save/$": lambda o: f"/api/v1/label-tasks/{o['label_task'].pk}/save/",
    "api/v1/^jobs/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/jobs/{o['job'].pk}/",
    "api/v1/^jobs/(?P<pk>[^/.]+)/cancel/$": lambda o: f"/api/v1/jobs/{o['job'].pk}/cancel/",
    "api/v1/^jobs/(?P<pk>[^/.]+)/reproduction/$": lambda o: f"/api/v1/jobs/{o['job'].pk}/reproduction/",
    "api/v1/^training-runs/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/training-runs/{o['run'].pk}/",
    "api/v1/^studies/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/studies/{o['study'].pk}/",
    "api/v1/^studies/(?P<pk>[^/.]+)/stop/$": lambda o: f"/api/v1/studies/{o['study'].pk}/stop/",
    "api/v1/^training-runs/(?P<pk>[^/.]+)/reproduce/$": lambda o: f"/api/v1/training-runs/{o['run'].pk}/reproduce/",
    "api/v1/^deployments/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/deployments/{o['deployment'].pk}/",
    "api/v1/^deployments/(?P<pk>[^/.]+)/predict/$": lambda o: f"/api/v1/deployments/{o['deployment'].pk}/predict/",
    "api/v1/^deployments/(?P<pk>[^/.]+)/predictions/$":
        lambda o: f"/api/v1/deployments/{o['deployment'].pk}/predictions/",
    "api/v1/^deployments/(?P<pk>[^/.]+)/status/$": lambda o: f"/api/v1/deployments/{o['deployment'].pk}/status/",
    "api/v1/kg/^graphs/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/kg/graphs/{o['graph'].pk}/",
    "api/v1/kg/^graphs/(?P<pk>[^/.]+)/entities/$": lambda o: f"/api/v1/kg/graphs/{o['graph'].pk}/entities/",
    "api/v1/kg/^graphs/(?P<pk>[^/.]+)/export/$": lambda o: f"/api/v1/kg/graphs/{o['graph'].pk}/export/",
    "api/v1/kg/^graphs/(?P<pk>[^/.]+)/import/$": lambda o: f"/api/v1/kg/graphs/{o['graph'].pk}/import/",
    "api/v1/kg/^graphs/(?P<pk>[^/.]+)/entities/(?P<entity_id>[0-9]+)/neighbourhood/$":
        lambda o: f"/api/v1/kg/graphs/{o['graph'].pk}/entities/{o['entity'].pk}/neighbourhood/",
    "api/v1/kg/^graphs/(?P<pk>[^/.]+)/ontology/$": lambda o: f"/api/v1/kg/graphs/{o['graph'].pk}/ontology/",
    "api/v1/kg/^graphs/(?P<pk>[^/.]+)/paths/$": lambda o: f"/api/v1/kg/graphs/{o['graph'].pk}/paths/",
    "api/v1/kg/^graphs/(?P<pk>[^/.]+)/relations/$": lambda o: f"/api/v1/kg/graphs/{o['graph'].pk}/relations/",
    "api/v1/kg/^graphs/(?P<pk>[^/.]+)/shortest-path/$":
        lambda o: f"/api/v1/kg/graphs/{o['graph'].pk}/shortest-path/",
    "api/v1/kg/graphs/<int:graph_id>/ask/": lambda o: f"/api/v1/kg/graphs/{o['graph'].pk}/ask/",
    "api/v1/manufacturing/^stations/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/manufacturing/stations/{o['station'].pk}/",
    "api/v1/manufacturing/^stations/(?P<pk>[^/.]+)/inspect/$":
        lambda o: f"/api/v1/manufacturing/stations/{o['station'].pk}/inspect/",
    "api/v1/manufacturing/^stations/(?P<pk>[^/.]+)/summary/$":
        lambda o: f"/api/v1/manufacturing/stations/{o['station'].pk}/summary/",
    "api/v1/manufacturing/^inspections/(?P<pk>[^/.]+)/$":
        lambda o: f"/api/v1/manufacturing/inspections/{o['inspection'].pk}/",
    "api/v1/manufacturing/^inspections/(?P<pk>[^/.]+)/review/$":
        lambda o: f"/api/v1/manufacturing/inspections/{o['inspection'].pk}/review/",
    "api/v1/finance/^deployments/(?P<pk>[0-9]+)/score/$":
        lambda o: f"/api/v1/finance/deployments/{o['deployment'].pk}/score/",
    "api/v1/finance/^deployments/(?P<pk>[0-9]+)/input-schema/$":
        lambda o: f"/api/v1/finance/deployments/{o['deployment'].pk}/input-schema/",
    "api/v1/finance/^inventory/(?P<pk>[^/.]+)/$": lambda o: f"/api/v1/finance/inventory/{o['risk'].pk}/",
    "api/v1/finance/^inventory/(?P<pk>[^/.]+)/status/$": lambda o: f"/api/v1/finance/inventory/{o['risk'].pk}/status/",
    "api/v1/energy/^grids/(?P<pk>[0-9]+)/outage/$": lambda o: f"/api/v1/energy/grids/{o['grid'].pk}/outage/",
    "api/v1/energy/^grids/(?P<pk>[0-9]+)/faults/$": lambda o: f"/api/v1/energy/grids/{o['grid'].pk}/faults/",
    "api/v1/energy/^faults/(?P<pk>[0-9]+)/$": lambda o: f"/api/v1/energy/faults/{o['fault'].pk}/",
    "api/v1/energy/^faults/(?P<pk>[0-9]+)/clear/$": lambda o: f"/api/v1/energy/faults/{o['fault'].pk}/clear/",
    "api/v1/energy/^graphs/(?P<pk>[0-9]+)/diagnose/$": lambda o: f"/api/v1/energy/graphs/{o['graph'].pk}/diagnose/",
    "api/v1/city/^cameras/(?P<pk>[0-9]+)/$": lambda o: f"/api/v1/city/cameras/{o['camera'].pk}/",
    "api/v1/city/^cameras/(?P<pk>[0-9]+)/run/$": lambda o: f"/api/v1/city/cameras/{o['camera'].pk}/run/",
    "api/v1/city/^cameras/(?P<pk>[0-9]+)/records/$": lambda o: f"/api/v1/city/cameras/{o['camera'].pk}/records/",
    "api/v1/city/^cameras/(?P<pk>[0-9]+)/runs/$": lambda o: f"/api/v1/city/cameras/{o['camera'].pk}/runs/",
    "api/v1/city/^events/(?P<pk>[0-9]+)/$": lambda o: f"/api/v1/city/events/{o['event'].pk}/",
    "api/v1/city/^events/(?P<pk>[0-9]+)/transition/$": lambda o: f"/api/v1/city/events/{o['event'].pk}/transition/",
    "api/v1/city/events/<int:pk>/evidence.jpg": lambda o: f"/api/v1/city/events/{o['event'].pk}/evidence.jpg",
    "api/v1/city/^cameras/(?P<pk>[0-9]+)/rules/$": lambda o: f"/api/v1/city/cameras/{o['camera'].pk}/rules/",
    "api/v1/city/^rules/(?P<pk>[0-9]+)/$": lambda o: f"/api/v1/city/rules/{o['rule'].pk}/",
    "api/v1/city/^map/layers/(?P<name>[-a-zA-Z0-9_]+)/features/$": lambda o: f"/api/v1/city/map/layers/{o['layer'].name}/features/",
    "api/v1/city/^scheduler/pools/(?P<pk>[0-9]+)/$": lambda o: f"/api/v1/city/scheduler/pools/{o['pool'].pk}/",
    "api/v1/city/^scheduler/algorithms/(?P<name>[-a-zA-Z0-9_]+)/call/$":
        lambda o: f"/api/v1/city/scheduler/algorithms/{o['algorithm'].name}/call/",
    "kg/graphs/<int:graph_id>/": lambda o: f"/kg/graphs/{o['graph'].pk}/",
    "kg/graphs/<int:graph_id>/search/": lambda o: f"/kg/graphs/{o['graph'].pk}/search/?q=line",
    "hub/models/<int:model_id>/": lambda o: f"/hub/models/{o['model'].pk}/",
    "hub/versions/<int:version_id>/": lambda o: f"/hub/versions/{o['version'].pk}/",
    "hub/versions/<int:version_id>/evaluation/": lambda o: f"/hub/versions/{o['version'].pk}/evaluation/",
    "hub/versions/<int:version_id>/compare/<int:other_id>/":
        lambda o: f"/hub/versions/{o['version'].pk}/compare/{o['version'].pk}/",
    "hub/evaluations/<int:evaluation_id>/images/<str:name>":
        lambda o: f"/hub/evaluations/{o['evaluation'].pk}/images/fp-0000.jpg",
    "hub/requests/<int:request_id>/decide/": lambda o: f"/hub/requests/{o['alias_request'].pk}/decide/",
    "hub/lineage/<slug:kind>/<int:node_id>/": lambda o: [
        f"/hub/lineage/model_version/{o['version'].pk}/", f"/hub/lineage/dataset_version/{o['dataset_version'].pk}/"],
    "jobs/<int:job_id>/": lambda o: f"/jobs/{o['job'].pk}/",
    "hub/versions/<int:version_id>/deploy/": lambda o: f"/hub/versions/{o['version'].pk}/deploy/",
    "hub/deployments/<int:deployment_id>/try/": lambda o: f"/hub/deployments/{o['deployment'].pk}/try/",
    "studies/<int:study_id>/": lambda o: f"/studies/{o['study'].pk}/",
    "studies/<int:study_id>/stop/": lambda o: f"/studies/{o['study'].pk}/stop/",
    "data/<int:dataset_id>/": lambda o: f"/data/{o['dataset'].pk}/",
    "data/<int:dataset_id>/publish/": lambda o: f"/data/{o['dataset'].pk}/publish/",
    "data/<int:dataset_id>/import/": lambda o: f"/data/{o['dataset'].pk}/import/",
    "data/<int:dataset_id>/v<int:number>/": lambda o: f"/data/{o['dataset'].pk}/v{o['images_version'].version}/",
    "data/<int:dataset_id>/v<int:number>/samples/<int:sample_id>/<slug:size>/": lambda o: [
        f"/data/{o['dataset'].pk}/v{o['images_version'].version}/samples/1/{size}/" for size in ("thumb", "full")],
    "data/<int:dataset_id>/v<int:number>/export/<slug:fmt>/": lambda o: [
        f"/data/{o['dataset'].pk}/v{o['images_version'].version}/export/{fmt}/" for fmt in ("coco", "voc", "csv")],
    "data/<int:dataset_id>/diff/": lambda o: (
        f"/data/{o['dataset'].pk}/diff/?from={o['images_version'].version}&to={o['images_version'].version}"),
    "data/labelling/<int:project_id>/": lambda o: f"/data/labelling/{o['label_project'].pk}/",
    "data/labelling/<int:project_id>/cut/": lambda o: f"/data/labelling/{o['label_project'].pk}/cut/",
    "data/labelling/<int:project_id>/prelabel/": lambda o: f"/data/labelling/{o['label_project'].pk}/prelabel/",
    "data/labelling/<int:project_id>/round/": lambda o: f"/data/labelling/{o['label_project'].pk}/round/",
    "data/labelling/tasks/<int:task_id>/": lambda o: f"/data/labelling/tasks/{o['label_task'].pk}/",
    "data/labelling/tasks/<int:task_id>/review/": lambda o: f"/data/labelling/tasks/{o['label_task'].pk}/review/",
    "v/manufacturing/stations/<int:station_id>/": lambda o: f"/v/manufacturing/stations/{o['station'].pk}/",
    "v/manufacturing/stations/<int:station_id>/inspect/":
        lambda o: f"/v/manufacturing/stations/{o['station'].pk}/inspect/",
    "v/manufacturing/stations/<int:station_id>/feed/": lambda o: f"/v/manufacturing/stations/{o['station'].pk}/feed/",
    "v/manufacturing/inspections/<int:inspection_id>/image/":
        lambda o: f"/v/manufacturing/inspections/{o['inspection'].pk}/image/",
    "v/manufacturing/inspections/<int:inspection_id>/review/":
        lambda o: f"/v/manufacturing/inspections/{o['inspection'].pk}/review/",
    "v/finance/approvals/<int:request_id>/decide/": lambda o: f"/v/finance/approvals/{o['alias_request'].pk}/decide/",
    "v/finance/inventory/<int:record_id>/status/": lambda o: f"/v/finance/inventory/{o['risk'].pk}/status/",
    "v/finance/models/<int:model_id>/": lambda o: f"/v/finance/models/{o['card'].pk}/",
    "v/finance/models/<int:model_id>/reproductions/": lambda o: f"/v/finance/models/{o['card'].pk}/reproductions/",
    "v/finance/versions/<int:version_id>/evidence/": lambda o: f"/v/finance/versions/{o['card_version'].pk}/evidence/",
    "v/finance/runs/<int:run_id>/reproduce/": lambda o: f"/v/finance/runs/{o['run'].pk}/reproduce/",
    "v/finance/score/<int:deployment_id>/": lambda o: f"/v/finance/score/{o['card_deployment'].pk}/",
    "v/energy/grids/<int:grid_id>/": lambda o: f"/v/energy/grids/{o['grid'].pk}/",
    "v/energy/grids/<int:grid_id>/trip/": lambda o: f"/v/energy/grids/{o['grid'].pk}/trip/",
    "v/energy/grids/<int:grid_id>/faults/": lambda o: f"/v/energy/grids/{o['grid'].pk}/faults/",
    "v/energy/faults/<int:fault_id>/restored/": lambda o: f"/v/energy/faults/{o['fault'].pk}/restored/",
    "v/city/cameras/<int:camera_id>/": lambda o: f"/v/city/cameras/{o['camera'].pk}/",
    "v/city/events/<int:event_id>/": lambda o: f"/v/city/events/{o['event'].pk}/",
    "v/city/events/<int:event_id>/transition/": lambda o: f"/v/city/events/{o['event'].pk}/transition/",
}

# Bodies that would succeed on the owner's own object, so a refusal is the scoping's.
BODIES = {
    "/status/": {"status": "paused"},
    "/aliases/": {"alias": "champion", "version": 1},
    "/transition/": {"status": "dispatched", "to": "dispatched"},
    "/review/": {"verdict": "reject", "label": "reject", "accept": True},  # an inspection's or a label task's
    "/members/": {"username": "b-viewer", "role": "admin"},
    "/clear/": {},
    "/predict/": {"inputs": [[1, 2, 3]]},
    "/deploy/": {"profile": "cpu-onnxruntime", "name": "sneaky", "organisation": 1},
    "/try/": {"sample": "{}"},
    "/save/": {"labels": [], "revision": 0},
    "/publish/": {"published": True},
    "/assign/": {"annotator": "b-annotator"},
    "/stop/": {},
}

# Patterns outside the organisation tree: the Django admin is for staff, and no
# branch user is staff (the test checks that too).
NOT_ORGANISATION_OBJECTS = ("admin/",)
