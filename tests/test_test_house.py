"""The test suite's own house rules: test modules share helpers through tests/helpers.py and never
import one another (nor conftest.py, whose fixtures pytest hands out)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
TEST_MODULES = {path.stem for path in TESTS.glob("test_*.py")} | {"conftest"}


def imported_test_modules(path: Path) -> list[str]:
    """The test modules (and conftest) a file imports, by the name it uses."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            names.append(base)
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return sorted({name for name in names if name.split(".")[-1] in TEST_MODULES})


def test_no_test_module_imports_another_test_module() -> None:
    files = sorted(TESTS.glob("*.py"))
    assert len(files) > 20 and TESTS / "helpers.py" in files
    wrong = {path.name: imported_test_modules(path) for path in files}
    assert {name: modules for name, modules in wrong.items() if modules} == {}


def test_the_check_sees_every_way_of_importing_one(tmp_path: Path) -> None:
    module = tmp_path / "test_x.py"
    for line, expected in [
        ("from tests.test_tui_app import settle", ["tests.test_tui_app"]),
        ("import tests.conftest", ["tests.conftest"]),
        ("from tests import test_ai", ["tests.test_ai"]),
        ("from . import test_ai", [".test_ai"]),
        ("from tests.helpers import settle", []),
    ]:
        module.write_text(line + "\n", "utf-8")
        assert imported_test_modules(module) == expected, line


def drives_the_terminal_ui(path: Path) -> bool:
    """Whether a test module imports the terminal UI or Textual (the fast lane leaves these out)."""
    ui = ("wargame.tui", "textual")
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(ui):
            return True
        if isinstance(node, ast.Import) and any(alias.name.startswith(ui) for alias in node.names):
            return True
    return False


def is_marked_tui(path: Path) -> bool:
    """Whether the module sets `pytestmark` to the tui marker (alone or in a list)."""
    for node in ast.parse(path.read_text("utf-8"), str(path)).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "pytestmark" for t in node.targets):
            return "pytest.mark.tui" in ast.unparse(node.value)
    return False


def test_every_module_that_drives_the_terminal_ui_is_marked_tui() -> None:
    driving = {path.name for path in TESTS.glob("test_*.py") if drives_the_terminal_ui(path)}
    driving.add("test_crash.py")  # the real program in a pseudo-terminal
    assert len(driving) >= 7
    assert sorted(name for name in driving if not is_marked_tui(TESTS / name)) == []
