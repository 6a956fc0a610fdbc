from django.core.management.base import BaseCommand

from core.platform.queueing import KINDS, queue_names


class Command(BaseCommand):
    help = ("Print the Celery queues the installed core and verticals use, comma-separated, for "
            "`celery -A core worker -Q $(manage.py celery_queues --kind short)`: a queue no worker consumes keeps "
            "its jobs forever. Short queues (minutes) and long ones (trainings of hours) want separate workers, "
            "so a short job never waits behind a long one.")

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=KINDS, default="all",
                            help="short: default and each vertical's queue; long: their '-long' twins; all: both")

    def handle(self, *args, kind, **options):
        self.stdout.write(",".join(queue_names(kind)))
