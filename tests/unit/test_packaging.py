"""The package's metadata: licence, declared dependencies of every import, README images for the package index."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions():
    return {canonical(re.match(r"[A-Za-z0-9_.-]+", requirement).group()) for requirement in PROJECT["dependencies"]}


def top_level_imports(package):
    """(module, file) for every absolute import in the package's code."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found += [(alias.name.split(".")[0], path) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((node.module.split(".")[0], path))
    return found


def test_licence_is_an_spdx_expression_and_its_file_is_shipped():
    assert PROJECT["license"] == "BSD-3-Clause"
    assert PROJECT["license-files"] == ["LICENSE"]
    assert "BSD 3-Clause License" in (ROOT / "LICENSE").read_text()
    # SPDX expressions need setuptools 77; an older one would refuse the string (or build without the file).
    assert any(
        re.fullmatch(r"setuptools>=(\d+)", r) and int(r.split(">=")[1]) >= 77
        for r in PYPROJECT["build-system"]["requires"]
    )


def test_every_import_of_the_package_is_a_declared_dependency():
    distributions = packages_distributions()
    declared = declared_distributions()
    missing = {}
    for module, path in top_level_imports("wagtail_awards"):
        if module in sys.stdlib_module_names or module == "wagtail_awards":
            continue
        names = {canonical(d) for d in distributions.get(module, [module])}
        if not names & declared:
            missing.setdefault(module, set()).add(path.relative_to(ROOT).as_posix())
    assert missing == {}, f"imported but not in [project] dependencies: {missing}"


def test_readme_images_are_absolute_urls_of_files_in_the_repository():
    base = PROJECT["urls"]["Repository"].rstrip("/") + "/raw/main/"
    readme = (ROOT / PROJECT["readme"]).read_text()
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)", readme) + re.findall(r'<img[^>]+src="([^"]+)"', readme)
    assert len(images) >= 9
    for url in images:
        assert url.startswith(base), url
        assert (ROOT / url.removeprefix(base)).is_file(), url
