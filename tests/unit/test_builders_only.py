"""Test data comes from one place, ``tests/builders/``: no test module imports an old helper module again, and none
grows its own world, maker or vote-posting helper beside the builders'."""

import ast
from pathlib import Path

import tests.builders

TESTS = Path(__file__).resolve().parents[1]
BUILDERS = TESTS / "builders"

#: Helper modules the builders replaced; none may come back, nor be imported.
REMOVED = {
    "tests.factories",
    "tests.publicity_factories",
    "tests.voting_helpers",
    "tests.captcha_helpers",
    "tests.integration.application_world",
    "tests.integration.review_world",
    "tests.integration.round_world",
}


#: Scripts copied into a freshly started Wagtail site by the package test, where ``tests.builders`` does not exist.
PACKAGE_SITE = TESTS / "package_site"


#: The makers of a call and its round: only the world (``build_world``) uses them in the integration and browser
#: tests; a test adds single rows on top (a vote, an award, a user, a second page) with the other makers.
CALL_MAKERS = {"make_call", "make_voting_call", "make_publicity", "make_publicity_page", "make_form_page"}

#: Where a test builds its calls only through the world.
WORLD_ONLY = ("tests.integration.", "tests.browser.")


def modules_of_the_tests():
    """Every Python file of the tests tree outside the builders, with its dotted module name."""
    for path in sorted(TESTS.rglob("*.py")):
        if BUILDERS in path.parents or PACKAGE_SITE in path.parents:
            continue
        yield path, ".".join(("tests", *path.relative_to(TESTS).with_suffix("").parts))


def imported_modules(tree, module):
    """The absolute names of the modules ``tree`` (of ``module``) imports, wherever the import stands."""
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def call_makers_used(tree, module):
    """The call makers ``tree`` (of ``module``) imports from the builders or names as an attribute of them."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests.builders"):
            yield from (alias.name for alias in node.names if alias.name in CALL_MAKERS)
        elif isinstance(node, ast.Attribute) and node.attr in CALL_MAKERS:
            yield node.attr


def own_helpers(tree, *, pure=False):
    """Names of module-level functions and classes that would be a second builder: a ``World``, a ``build…``
    world, a ``make_…`` maker, a ``post_vote…`` helper, or any name the builders export (but in ``pure`` modules,
    the unit tests of the rules, which run without Django's models and so without the builders)."""
    exported = set() if pure else set(tests.builders.__all__)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "World":
            yield node.name
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = node.name
            if (
                name in exported
                or name.startswith(("make_", "post_vote", "build_round", "build_world"))
                or name == "build"
                or name.endswith("_world")
            ):
                yield name


def test_no_removed_helper_module_is_back():
    back = sorted(name for _path, name in modules_of_the_tests() if name in REMOVED)
    assert back == []


def test_no_test_imports_a_removed_helper_module():
    offenders = []
    for path, module in modules_of_the_tests():
        tree = ast.parse(path.read_text(), filename=str(path))
        offenders += [
            f"{path.relative_to(TESTS)}: {name}" for name in imported_modules(tree, module) if name in REMOVED
        ]
    assert offenders == []


def test_no_test_defines_its_own_builder():
    offenders = []
    for path, module in modules_of_the_tests():
        tree = ast.parse(path.read_text(), filename=str(path))
        pure = module.startswith("tests.unit.")
        offenders += [f"{path.relative_to(TESTS)}: {name}" for name in own_helpers(tree, pure=pure)]
    assert offenders == []


def test_integration_and_browser_tests_make_calls_only_with_the_world_builder():
    offenders = []
    for path, module in modules_of_the_tests():
        if module.startswith(WORLD_ONLY):
            tree = ast.parse(path.read_text(), filename=str(path))
            offenders += [f"{path.relative_to(TESTS)}: {name}" for name in call_makers_used(tree, module)]
    assert offenders == []


def test_the_guard_sees_what_it_forbids(tmp_path):
    """The checks above find an old import, a relative one, and a helper defined again (else they prove nothing)."""
    source = (
        "from tests.factories import make_call\n"
        "from .review_world import build_round\n"
        "def post_vote(client):\n    pass\n"
        "def make_world(root):\n    pass\n"
        "class World:\n    pass\n"
        "def local_helper():\n    from tests.captcha_helpers import bound_challenge\n"
    )
    tree = ast.parse(source)
    found = set(imported_modules(tree, "tests.integration.test_x"))
    assert {"tests.factories", "tests.integration.review_world", "tests.captcha_helpers"} <= found & REMOVED
    assert sorted(own_helpers(tree)) == ["World", "make_world", "post_vote"]


def test_the_world_guard_sees_a_call_made_beside_it():
    """A call maker imported from the builders (at the top or inside a test, from the package or its module) or
    reached through the package is found; the world and the single-row makers are not."""
    source = (
        "from tests.builders import build_world, make_award, make_call\n"
        "import tests.builders\n"
        "def test_a(site_root):\n"
        "    from tests.builders.calls import make_publicity\n"
        "    tests.builders.make_voting_call(site_root)\n"
        "    make_award(build_world(site_root).call)\n"
    )
    found = sorted(call_makers_used(ast.parse(source), "tests.integration.test_x"))
    assert found == ["make_call", "make_publicity", "make_voting_call"]
    clean = "from tests.builders import build_world, make_award, make_user, make_voting_page\n"
    assert list(call_makers_used(ast.parse(clean), "tests.integration.test_x")) == []
