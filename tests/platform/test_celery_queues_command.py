from io import StringIO

from django.core.management import call_command

from core.platform.verticals import registry


def test_lists_every_queue_a_worker_must_consume():
    out = StringIO()
    call_command("celery_queues", stdout=out)
    queues = out.getvalue().strip().split(",")
    assert queues[0] == "default"
    for vertical in registry["verticals"].values():
        for queue in vertical.celery_queues:
            assert queue in queues, (vertical.slug, queue)
    assert {"manufacturing", "finance", "energy", "city"} <= set(queues)
    assert len(queues) == len(set(queues))
