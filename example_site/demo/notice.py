"""Reads the 2021 notice (plain text, as published) into the structured parts of a call."""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

NOTICE_2021 = Path(__file__).resolve().parent / "data" / "notice-2021.txt"

SECTION = re.compile(r"^[一二三四五六七八九十]+、")
ITEM = re.compile(r"^(\d+)[.．、]\s*")
ENDS_SENTENCE = ("。", "：", "；", "！", "？", "”", "）")


@dataclass
class Notice:
    issuer: str = ""
    title: str = ""
    addressees: str = ""
    intro: list[str] = field(default_factory=list)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    themes: list[tuple[str, str]] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    city_quota: tuple[int, int] = (2, 3)
    university_quota: tuple[int, int] = (1, 2)
    deadline: dt.date | None = None
    contact_name: str = ""
    contact_phone: str = ""
    attachment_title: str = ""
    attachment_text: str = ""


def _paragraphs(text: str) -> list[str]:
    """Non-empty lines, with lines broken by a page break joined back together."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [re.sub(r"\s+", " ", line) for line in lines if line]
    # The first theme runs on in the paragraph that introduces the themes; give each its own paragraph.
    lines = [part for line in lines for part in re.split(r"(?<=。)(?=深化“)", line)]
    merged: list[str] = []
    for line in lines:
        if (
            merged
            and not merged[-1].endswith(ENDS_SENTENCE)
            and not SECTION.match(line)
            and not ITEM.match(line)
            and len(merged[-1]) > 20
        ):
            merged[-1] += line
        else:
            merged.append(line)
    return merged


def parse_notice(text: str) -> Notice:
    main, _, appendix = text.partition("\n附件\n")
    head = [line.strip() for line in main.strip().splitlines() if line.strip()]
    notice = Notice()
    # Issuer, title and addressees are the first three lines; the title may carry a stray space.
    notice.issuer, notice.title, notice.addressees = head[0], head[1].replace(" ", ""), head[2].rstrip("：:")
    paragraphs = _paragraphs("\n".join(head[3:]))

    current: list[str] | None = None
    for paragraph in paragraphs:
        if paragraph.startswith(("联系人", "附件：")):
            break
        if SECTION.match(paragraph):
            current = []
            notice.sections.append((paragraph, current))
        elif current is None:
            notice.intro.append(paragraph)
        else:
            current.append(paragraph)

    for paragraph in paragraphs:
        match = re.match(r"深化“(.+?)”行动[，,](.*)", paragraph)
        if match:
            notice.themes.append((match.group(1), match.group(2)))
    for heading, items in notice.sections:
        if "条件" in heading:
            notice.conditions = [ITEM.sub("", item) for item in items if ITEM.match(item)]

    whole = "".join(paragraphs)
    match = re.search(r"根据项目的(.+?)等", whole)
    if match:
        notice.criteria = match.group(1).split("、")
    match = re.search(r"择优推荐(\d+)-(\d+)个（由各市", whole)
    if match:
        notice.city_quota = (int(match.group(1)), int(match.group(2)))
    match = re.search(r"科研院所工会向省教科工会择优推荐项目(\d+)-(\d+)个", whole)
    if match:
        notice.university_quota = (int(match.group(1)), int(match.group(2)))
    match = re.search(r"截止时间是(\d{4})年(\d{1,2})月(\d{1,2})日", whole)
    if match:
        notice.deadline = dt.date(*(int(g) for g in match.groups()))
    match = re.search(r"联系人：(?:省教科工会)?(.+?)，电话：([\d-]+)", whole)
    if match:
        notice.contact_name, notice.contact_phone = match.groups()
    match = re.search(r"附件：(.+?)$", main, re.MULTILINE)
    if match:
        notice.attachment_title = match.group(1).strip()
    notice.attachment_text = "\n\n".join(_paragraphs(appendix))
    return notice


def load_notice_2021() -> Notice:
    return parse_notice(NOTICE_2021.read_text(encoding="utf-8"))
