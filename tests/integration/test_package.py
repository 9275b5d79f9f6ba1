"""The README's way into a site, proven: build the wheel, make a new ``wagtail start`` site, install the wheel into
it, apply the steps of README.md's "Using the app in a site" (read from the README, so the two cannot drift),
migrate, publish a call with its pages, open every page and admin screen of the app, then uninstall the app's
tables with ``migrate wagtail_awards zero``.

The wheel goes into a folder of its own put first on the site's path (``pip install --no-deps --target``); its
dependencies are this environment's packages, which must satisfy what the wheel declares. The site imports
``wagtail_awards`` from that folder, never from this checkout.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
SITE = "mysite"
INSTALL_LINE = "pip install wagtail-awards"


def readme_steps():
    """The fenced code blocks of "Using the app in a site", up to its first subsection: (language, text)."""
    section = README.split("## Using the app in a site", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    return re.findall(r"```(\w+)\n(.*?)```", section, re.S)


def run(args, cwd, env, timeout=240):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, args))}\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return result.stdout


def apply_python_step(text, site):
    """A block whose first line is ``# <file>: add at the end`` or ``# <file>: add to urlpatterns``."""
    first, _, code = text.partition("\n")
    match = re.fullmatch(r"# (\S+): (add at the end|add to urlpatterns)", first.strip())
    assert match, f"a Python block of the README must say where it goes: {first!r}"
    target = site / match.group(1)
    source = target.read_text()
    if match.group(2) == "add at the end":
        source += "\n" + code
    else:
        opening = "urlpatterns = [\n"
        assert opening in source, target
        source = source.replace(opening, opening + code, 1)
    target.write_text(source)


def built_distributions(out):
    env = {**os.environ}
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)], ROOT, env)
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return wheel, sdist


def requirements_met(wheel):
    """Every Requires-Dist of the wheel (without extras) is installed here at an accepted version."""
    from packaging.requirements import Requirement

    metadata = zipfile.ZipFile(wheel).read(next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("METADATA")))
    unmet = []
    for line in metadata.decode().splitlines():
        if not line.startswith("Requires-Dist: "):
            continue
        requirement = Requirement(line.removeprefix("Requires-Dist: "))
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            installed = None
        if installed is None or not requirement.specifier.contains(installed, prereleases=True):
            unmet.append(f"{requirement} (installed: {installed})")
    return unmet


def test_the_readme_steps_on_a_new_wagtail_site(tmp_path):
    wheel, sdist = built_distributions(tmp_path / "dist")
    # Nothing but the app in the wheel, its licence in both.
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {"wagtail_awards", wheel.name.split("-py3")[0] + ".dist-info"}
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
    assert "wagtail_awards/templates/wagtail_awards/layout.html" in names
    assert any(name.endswith("zh_Hans/LC_MESSAGES/django.mo") for name in names)
    sdist_names = tarfile.open(sdist).getnames()
    assert f"{sdist.name.removesuffix('.tar.gz')}/LICENSE" in sdist_names
    assert not [name for name in sdist_names if "/tests/" in name or "/example_site/" in name]
    assert requirements_met(wheel) == []

    site = tmp_path / "site"
    site.mkdir()
    run([Path(sys.executable).parent / "wagtail", "start", SITE, str(site)], tmp_path, {**os.environ})
    packages = tmp_path / "packages"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH") and not key.startswith("WAGTAIL_")
    }
    env["PYTHONPATH"] = str(packages)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    steps = readme_steps()
    assert [language for language, _ in steps] == ["sh", "python", "python", "sh"], steps
    commands = []
    for language, text in steps:
        if language == "python":
            apply_python_step(text, site)
            continue
        for line in filter(None, (line.strip() for line in text.splitlines())):
            if line == INSTALL_LINE:
                run(
                    [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", packages, wheel],
                    tmp_path,
                    env,
                )
            else:
                assert line.startswith("python manage.py "), line
                commands.append(line)
                run([sys.executable, *line.split()[1:]], site, env)
    assert commands == ["python manage.py migrate", "python manage.py check --fail-level WARNING"]
    assert (packages / "wagtail_awards" / "templates").is_dir()

    for script in ("crawl.py", "english_call.py"):
        shutil.copy(ROOT / "tests" / "package_site" / script, site / script)
    output = run([sys.executable, "crawl.py"], site, env, timeout=300)
    (tmp_path / "crawl.json").write_text(output)  # what each URL answered, for a failure's reader
    result = json.loads(output)

    # The site ran the wheel's code, not this checkout's.
    assert Path(result["module"]).is_relative_to(packages), result["module"]
    failures = [
        (who, answer["url"], answer["status"])
        for who in ("visitor", "applicant", "admin_home", "admin")
        for answer in result[who]
        if answer["status"] >= 400
    ]
    assert failures == []

    public = [a for who in ("visitor", "applicant") for a in result[who] if a["status"] == 200]
    urls = {a["url"] for a in public}
    # The applicant downloads their own file from the private root.
    assert any(
        re.fullmatch(r"/awards/files/\d+/", a["url"]) and not a["html"]
        for a in result["applicant"]
        if a["status"] == 200
    )
    (call,) = [u for u in result["pages"] if re.fullmatch(r"/calls/\d{4}/", u)]
    assert {"/calls/", call, call + "apply/", call + "vote/", call + "publicity/"} == set(result["pages"])
    assert set(result["pages"]) <= urls
    assert {"/awards/applications/", "/awards/accounts/login/", "/awards/accounts/register/"} <= urls
    # Every page of the app is inside the site's own base template, with the app's header once.
    for answer in filter(lambda a: a["html"], public):
        assert answer["site_base"], answer["url"]
        if answer["url"].startswith(("/calls/", "/awards/")):
            assert answer["awards_headers"] == 1, answer["url"]

    admin_urls = {a["url"] for a in result["admin"] if a["status"] == 200}
    for screen in (
        "/admin/wagtail_awards/application/",
        "/admin/wagtail_awards/organization/",
        "/admin/wagtail_awards/pastaward/",
        "/admin/wagtail_awards/objection/",
        "/admin/wagtail_awards/subsidies/",
        "/admin/awards/votes/",
        "/admin/awards/review/ranking/",
    ):
        assert any(url.split("?")[0] == screen for url in admin_urls), screen
    assert len(admin_urls) >= 25
    assert any(re.fullmatch(r"/admin/pages/\d+/edit/", url) for url in admin_urls)

    # Uninstalling keeps working: the app's tables go, the site still checks and migrates.
    run([sys.executable, "manage.py", "migrate", "wagtail_awards", "zero"], site, env)
    out = run([sys.executable, "manage.py", "showmigrations", "wagtail_awards"], site, env)
    assert "[X]" not in out and "[ ]" in out
