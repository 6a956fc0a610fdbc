import time

from django.core.management.base import BaseCommand, CommandError

from core.platform.models import Organisation

from ...models import Camera
from ...pipeline import run_cameras


class Command(BaseCommand):
    help = ("Run the video structuring pipeline on cameras in this process: every enabled camera (of --org), or "
            "one (--camera CODE), each in its own thread for at most --seconds. Prints each camera's outcome.")

    def add_arguments(self, parser):
        parser.add_argument("--camera", help="a camera code (default: every enabled camera)")
        parser.add_argument("--org", help="organisation code (needed when several have the camera code)")
        parser.add_argument("--seconds", type=float, default=60.0, help="wall-clock limit per camera (default 60)")
        parser.add_argument("--realtime", action="store_true",
                            help="pace file sources to their own clock, as a live camera delivers frames")

    def handle(self, *args, camera=None, org=None, seconds=60.0, realtime=False, **options):
        if not 0 < seconds <= 24 * 3600:
            raise CommandError("--seconds must be in (0, 86400]")
        cameras = Camera.objects.select_related("organisation", "deployment__model_version")
        if org:
            organisation = Organisation.objects.filter(code=org).first()
            if organisation is None:
                raise CommandError(f"no organisation with code {org!r}")
            cameras = cameras.filter(organisation__path__startswith=organisation.path)
        if camera:
            cameras = list(cameras.filter(code=camera))
            if not cameras:
                raise CommandError(f"no camera with code {camera!r}")
            if len(cameras) > 1:
                raise CommandError(f"several organisations have a camera {camera!r}: give --org")
        else:
            cameras = list(cameras.filter(enabled=True))
            if not cameras:
                raise CommandError("no enabled camera")
        started = time.perf_counter()
        runs = run_cameras(cameras, max_seconds=seconds, realtime=realtime or None)
        for cam, run in zip(cameras, runs):
            if run is None:
                self.stdout.write(f"{cam.code}: abandoned (see the camera's status)")
                continue
            self.stdout.write(f"{cam.code}: {run.outcome} - {run.frames_analysed} frames at {run.fps:g} FPS, "
                              f"{run.tracks} tracks, {run.events} events. {run.message}")
        self.stdout.write(f"{len(cameras)} camera(s) in {time.perf_counter() - started:.1f} s")
