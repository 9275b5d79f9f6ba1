"""Every admin icon the app names is one Wagtail ships (an unknown name shows nothing)."""

import re
from pathlib import Path

import wagtail

ROOT = Path(__file__).resolve().parents[2]
ICONS = {path.stem for path in (Path(wagtail.__file__).parent / "admin/templates/wagtailadmin/icons").glob("*.svg")}
NAMED = re.compile(r"""(?:\bicon(?:_name)?|menu_icon|header_icon|"header_icon")\s*[=:]\s*["']([\w-]+)["']""")


def icon_names():
    found = []
    for path in (ROOT / "wagtail_awards").rglob("*"):
        if path.suffix in (".py", ".html"):
            found += [(name, path.relative_to(ROOT).as_posix()) for name in NAMED.findall(path.read_text())]
    return found


def test_every_icon_exists_in_wagtail():
    names = icon_names()
    assert len(names) >= 15
    assert [(name, where) for name, where in names if name not in ICONS] == []
    assert "trophy" not in ICONS  # what the menu used to name
