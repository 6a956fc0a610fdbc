"""Feed a station like a line camera: images from a folder, or freshly generated
synthetic separator film, one every --interval seconds."""
import json
import tempfile
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from verticals.manufacturing.actions.inspections import inspect
from verticals.manufacturing.models import Station

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"}


class Command(BaseCommand):
    help = "Send images to a line station's deployment, as a camera would."

    def add_arguments(self, parser):
        parser.add_argument("--station", required=True, help="station code")
        parser.add_argument("--organisation", required=True, help="organisation code that owns the station")
        parser.add_argument("--user", required=True, help="username the inspections are made as (operator)")
        src = parser.add_mutually_exclusive_group(required=True)
        src.add_argument("--folder", help="a folder of images, sent in name order")
        src.add_argument("--synthetic", type=int, help="generate this many synthetic parts (truth recorded)")
        parser.add_argument("--seed", type=int, default=int(time.time()) % 100000)
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(self, *args, station, organisation, user, folder, synthetic, seed, interval, **options):
        st = Station.objects.filter(code=station, organisation__code=organisation).select_related("deployment").first()
        if st is None:
            raise CommandError(f"no station {station!r} in organisation {organisation!r}")
        acting = get_user_model().objects.filter(username=user).first()
        if acting is None:
            raise CommandError(f"no user {user!r}")
        for path, truth in self._parts(folder, synthetic, seed):
            inspection, _ = inspect(st, path.read_bytes(), acting_user=acting, source=path.name, truth=truth)
            self.stdout.write(f"{path.name}: {inspection.verdict} {inspection.defect_counts or ''}")
            time.sleep(interval)

    def _parts(self, folder, synthetic, seed):
        if folder:
            paths = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            if not paths:
                raise CommandError(f"no images in {folder}")
            return [(p, "") for p in paths]
        from verticals.manufacturing.lib.synth.separator import generate

        out = Path(tempfile.mkdtemp(prefix="line-feed-"))
        info = generate(out, n_images=synthetic, seed=seed)
        doc = json.loads(Path(info["annotations"]).read_text())
        defective = {a["image_id"] for a in doc["annotations"]}
        return [(out / "images" / im["file_name"], "defective" if im["id"] in defective else "good")
                for im in doc["images"]]
