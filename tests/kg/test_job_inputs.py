"""A job naming a knowledge graph is checked at submission like a dataset: a sibling
branch's graph, or one the submitter may not read, is refused before anything queues."""
import pytest
from django.core.exceptions import ValidationError

from core.kg.models import Graph
from core.training.actions.jobs import submit_job
from core.training.models import Job


def test_a_graph_outside_the_jobs_line_or_the_users_reach_is_refused(orgs, users):
    sibling = Graph.objects.create(name="b-grid", organisation=orgs["b"], vertical="energy")
    hq = Graph.objects.create(name="hq-grid", organisation=orgs["hq"], vertical="energy")
    for graph, user in ((sibling, users["a_dev"]), (sibling, users["hq_dev"]), (hq, users["a_dev"])):
        with pytest.raises(ValidationError, match=f"no graph {graph.pk} available"):
            submit_job(trainer="dummy.least_squares", organisation=orgs["a"], acting_user=user,
                       params={"graph": graph.pk, "steps": 1})
    with pytest.raises(ValidationError, match="no graph"):
        submit_job(trainer="dummy.least_squares", organisation=orgs["a"], acting_user=users["a_dev"],
                   params={"graph": "²", "steps": 1})
    assert not Job.objects.exists()
    own = Graph.objects.create(name="a-grid", organisation=orgs["a"], vertical="energy")
    job = submit_job(trainer="dummy.least_squares", organisation=orgs["a"], acting_user=users["a_dev"],
                     params={"graph": own.pk, "steps": 1})
    assert job.params["graph"] == own.pk
