"""The app's layers (README, "Layout"): imports run one way, top to bottom, and none hides inside a function.

The import-linter contracts in ``pyproject.toml`` hold the layers and the absence of cycles; the tests below read the
source for what import-linter cannot see: which libraries the rules use, and where an import of the app stands.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "wagtail_awards"

#: What a rule may import besides the standard library, its sibling rules, ``enums`` and ``conf``.
RULES_MAY_IMPORT = ("django.utils", "django.core.exceptions", "holidays", "opencc")

#: ``lint-imports``, run with the interpreter of the tests (it reads the contracts in ``pyproject.toml``).
LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def python_files(folder: Path):
    return sorted(path for path in folder.rglob("*.py") if "migrations" not in path.parts)


def imports_inside_functions(path: Path):
    """``(line, module, level)`` of every import statement inside a function or method of ``path``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom):
                    found.append((inner.lineno, inner.module or "", inner.level))
                elif isinstance(inner, ast.Import):
                    found.extend((inner.lineno, alias.name, 0) for alias in inner.names)
    return found


def is_the_app(module: str, level: int) -> bool:
    return level > 0 or module == "wagtail_awards" or module.startswith("wagtail_awards.")


def test_the_import_linter_contracts_hold():
    result = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_service_imports_the_models_inside_a_function():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} from {'.' * level}{module}"
        for path in python_files(APP / "services")
        for line, module, level in imports_inside_functions(path)
        if (level == 2 and module.startswith("models")) or module.startswith("wagtail_awards.models")
    ]
    assert offenders == []


def test_no_module_of_the_app_imports_the_app_inside_a_function():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} from {'.' * level}{module}"
        for path in python_files(APP)
        for line, module, level in imports_inside_functions(path)
        if is_the_app(module, level)
    ]
    assert offenders == []


@pytest.mark.parametrize("path", python_files(APP / "rules"), ids=lambda path: path.name)
def test_a_rule_imports_no_database_cache_or_wagtail(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    stdlib = sys.stdlib_module_names
    refused = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            # Within the app: sibling rules, ``..enums`` and ``..conf`` only.
            if node.level == 2 and (node.module or "") not in ("enums", "conf"):
                refused.append(f"{'.' * node.level}{node.module}")
            continue
        names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in getattr(node, "names", [])]
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        for name in names:
            top = name.split(".")[0]
            if top in stdlib or name.startswith(RULES_MAY_IMPORT):
                continue
            refused.append(name)
    assert refused == []


def test_the_checks_see_a_function_level_import_and_a_forbidden_library(tmp_path):
    """The two readers above find what they look for (so an empty list means none, not a blind check)."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\n\ndef f():\n    from ..models import Application\n    import django.db\n")
    assert imports_inside_functions(sample) == [(5, "models", 2), (6, "django.db", 0)]
    assert is_the_app("models", 2) and not is_the_app("django.db", 0)
