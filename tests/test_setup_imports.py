import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_django_setup_does_not_import_paddle():
    code = (
        "import sys, django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE']='core.settings.test';"
        "django.setup();"
        "import core.urls;"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('paddle','ppdet','paddleocr','onnxruntime','cv2')];"
        "print('LOADED', bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "LOADED []" in out.stdout, out.stdout


def test_paddle_is_installed_for_the_backends():
    # The guard above only means something if paddle is there to be imported.
    import importlib.util

    assert importlib.util.find_spec("paddle") is not None
