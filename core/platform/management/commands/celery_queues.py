from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Print every Celery queue the installed core and verticals use, comma-separated, for "
            "`celery -A core worker -Q $(manage.py celery_queues)`: a queue no worker consumes keeps its jobs forever.")

    def handle(self, *args, **options):
        from core.celery import app

        app.finalize()  # declares the queues (core/celery.py, on_after_finalize)
        self.stdout.write(",".join(q.name for q in app.conf.task_queues))
