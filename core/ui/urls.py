from django.urls import path

from .views import audit, data, evaluations, home, hub, hub_decisions, jobs, labelling, lineage

app_name = "ui"
urlpatterns = [
    path("", home.home, name="home"),
    path("hub/models/", hub.model_list, name="models"),
    path("hub/models/<int:model_id>/", hub.model_detail, name="model"),
    path("hub/versions/<int:version_id>/", hub.version_detail, name="version"),
    path("hub/versions/<int:version_id>/evaluation/", evaluations.version_evaluation, name="version_evaluation"),
    path("hub/versions/<int:version_id>/compare/<int:other_id>/", evaluations.version_compare,
         name="version_compare"),
    path("hub/evaluations/<int:evaluation_id>/images/<str:name>", evaluations.evaluation_image,
         name="evaluation_image"),
    path("hub/requests/<int:request_id>/decide/", hub_decisions.decide_request, name="decide_request"),
    path("hub/lineage/<slug:kind>/<int:node_id>/", lineage.lineage_page, name="lineage"),
    path("audit/", audit.audit_log, name="audit"),
    path("audit/verify/", audit.audit_verify, name="audit_verify"),
    path("data/", data.dataset_list, name="datasets"),
    path("data/<int:dataset_id>/", data.dataset_detail, name="dataset"),
    path("data/<int:dataset_id>/publish/", data.dataset_publish, name="dataset_publish"),
    path("data/<int:dataset_id>/import/", data.dataset_import, name="dataset_import"),
    path("data/<int:dataset_id>/v<int:number>/", data.dataset_version, name="dataset_version"),
    path("data/<int:dataset_id>/v<int:number>/samples/<int:sample_id>/<slug:size>/", data.sample_image,
         name="dataset_sample"),
    path("data/<int:dataset_id>/v<int:number>/export/<slug:fmt>/", data.version_export, name="dataset_export"),
    path("data/<int:dataset_id>/diff/", data.version_diff, name="dataset_diff"),
    path("data/labelling/", labelling.project_list, name="label_projects"),
    path("data/labelling/<int:project_id>/", labelling.project_detail, name="label_project"),
    path("data/labelling/<int:project_id>/cut/", labelling.project_cut, name="label_project_cut"),
    path("data/labelling/<int:project_id>/prelabel/", labelling.project_prelabel, name="label_project_prelabel"),
    path("data/labelling/<int:project_id>/round/", labelling.project_round, name="label_project_round"),
    path("data/labelling/tasks/<int:task_id>/", labelling.task_detail, name="label_task"),
    path("data/labelling/tasks/<int:task_id>/review/", labelling.task_review, name="label_task_review"),
    path("jobs/", jobs.job_list, name="jobs"),
    path("jobs/<int:job_id>/", jobs.job_detail, name="job"),
]
