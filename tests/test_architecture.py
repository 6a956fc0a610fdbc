"""The rules of DESIGN.md, checked rather than remembered: the import contracts in
.importlinter, and one top-level shape for every vertical."""
import subprocess
import sys
from pathlib import Path

import pytest

from core.platform.verticals import RESOURCES

ROOT = Path(__file__).resolve().parent.parent

def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    # Every contract in the file: one not yet kept stays commented out there, with its reason.
    args = [str(lint), "--config", str(ROOT / ".importlinter"), "--no-cache"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


# The shape of DESIGN.md's "Layout": each vertical is a Django app with these parts.
REQUIRED = ["apps.py", "models.py", "queries.py", "urls.py", "actions/__init__.py", "lib/__init__.py",
            "api/__init__.py", "api/urls.py", "views/__init__.py"]
# Anything else at the top level is a contract resource, the worker wrappers, or Django's own folders.
ALLOWED_MODULES = {"__init__", "apps", "models", "queries", "urls", "tasks", *RESOURCES}
ALLOWED_FOLDERS = {"actions", "lib", "api", "views", "templates", "static", "locale", "migrations", "management",
                   "trainers", "__pycache__"}
# Every vertical in the tree, so a new one is held to the shape from its first commit.
VERTICALS = sorted(p.name for p in (ROOT / "verticals").iterdir() if (p / "apps.py").is_file())


def shape_problems(folder: Path) -> list[str]:
    problems = [f"missing {part}" for part in REQUIRED if not (folder / part).exists()]
    if not (folder / "templates" / folder.name).is_dir():
        problems.append(f"missing templates/{folder.name}/")
    for entry in folder.iterdir():
        if entry.is_file() and entry.suffix == ".py" and entry.stem not in ALLOWED_MODULES:
            problems.append(f"unexpected module {entry.name} (writes go to actions/, pure logic to lib/)")
        elif entry.is_dir() and entry.name not in ALLOWED_FOLDERS:
            problems.append(f"unexpected folder {entry.name}/")
    return problems


@pytest.mark.parametrize("slug", VERTICALS)
def test_every_vertical_has_the_same_shape(slug):
    assert shape_problems(ROOT / "verticals" / slug) == []


def test_the_shape_check_sees_a_stray_module(tmp_path):
    folder = tmp_path / "demo_vertical"
    for part in REQUIRED:
        (folder / part).parent.mkdir(parents=True, exist_ok=True)
        (folder / part).touch()
    (folder / "templates" / "demo_vertical").mkdir(parents=True)
    assert shape_problems(folder) == []
    (folder / "helpers.py").touch()
    assert shape_problems(folder) == ["unexpected module helpers.py (writes go to actions/, pure logic to lib/)"]
