"""The engine stays pure: no UI, no file formats, no `random` (DESIGN §2)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import wargame.engine
import wargame.model

FORBIDDEN = {"textual", "cattrs", "tomllib", "tomli_w", "random", "time", "datetime", "os", "pathlib"}


def test_importing_the_engine_loads_no_ui_or_formats() -> None:
    code = (
        "import sys, wargame.engine;"
        "print(sorted(m for m in ('textual', 'cattrs', 'tomllib', 'tomli_w') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_engine_or_model_module_imports_randomness_io_or_formats() -> None:
    folders = [Path(wargame.engine.__file__).parent, Path(wargame.model.__file__).parent]
    files = [path for folder in folders for path in folder.glob("*.py")]
    assert len(files) >= 8
    for path in files:
        assert not imported_modules(path) & FORBIDDEN, path.name


def test_the_purity_check_sees_an_import_of_random(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import random\nfrom os import path\n", encoding="utf-8")
    assert imported_modules(sample) == {"random", "os"}


BELOW_THE_UI = ("model", "engine", "ai", "storage", "lab", "session")


def test_nothing_below_the_ui_imports_textual() -> None:
    package = Path(wargame.engine.__file__).parent.parent
    files = [path for name in BELOW_THE_UI for path in (package / name).rglob("*.py")]
    assert {path.parent.name for path in files} == set(BELOW_THE_UI)
    for path in files:
        assert not imported_modules(path) & {"textual", "rich"}, path


def test_importing_the_session_loads_no_ui() -> None:
    code = "import sys, wargame.session; print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
