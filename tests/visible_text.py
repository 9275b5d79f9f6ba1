"""The text a person reads on a page: text nodes, and the attributes a browser shows or reads out.

Scripts, styles, templates, SVG sprite definitions and elements marked ``hidden`` are left out; everything else in
``<body>`` counts, menus and dialogs a click opens included, so the check errs on the strict side.
"""

import re
from html.parser import HTMLParser

SKIPPED = {"script", "style", "template", "noscript", "svg", "head", "title"}
SHOWN_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "data-w-tooltip-content-value")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

#: A word in Latin letters (two or more), after addresses, e-mails and file names have been taken out.
WORD = re.compile(r"[A-Za-z]{2,}")
NOT_WORDS = [
    re.compile(r"https?://\S+|www\.\S+"),
    re.compile(r"\S+@\S+\.\w+"),
    re.compile(r"[\w.-]+\.(?:pdf|docx?|xlsx|csv|jpe?g|png|txt|zip|odt|rtf|pptx|svg|com|cn)\b", re.I),
    re.compile(r"\b(?:jkgh|jsghfw)\b"),
]


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth_skipped = 0
        self.stack = []
        self.strings = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED or ("hidden" in attrs and tag not in VOID):
            if tag not in VOID:
                self.depth_skipped += 1
                self.stack.append((tag, True))
            return
        if tag not in VOID:
            self.stack.append((tag, False))
        if self.depth_skipped:
            return
        for name in SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.strings.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.strings.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            top, skipped = self.stack.pop()
            if skipped:
                self.depth_skipped -= 1
            if top == tag:
                break

    def handle_data(self, data):
        if not self.depth_skipped and data.strip():
            self.strings.append(data.strip())


def visible_strings(html: str) -> list[str]:
    """The strings of ``html`` a person sees or hears, in page order."""
    body = html.split("<body", 1)[-1]
    collector = _Collector()
    collector.feed("<body" + body)
    return collector.strings


def english_words(strings, *, allowed=frozenset()) -> set[str]:
    """Latin-letter words in ``strings`` that are not in ``allowed`` (compared in lower case)."""
    allowed = {word.lower() for word in allowed}
    found = set()
    for text in strings:
        for pattern in NOT_WORDS:
            text = pattern.sub(" ", text)
        found.update(word for word in WORD.findall(text) if word.lower() not in allowed)
    return found


def english_report(pages: dict[str, str], *, allowed, allowed_strings=frozenset()) -> dict[str, list[str]]:
    """``{url: [string with English, …]}`` for every page (url → HTML) showing an English word outside ``allowed``
    (words) and ``allowed_strings`` (whole strings)."""
    report = {}
    for url, html in pages.items():
        bad = [
            text
            for text in visible_strings(html)
            if text not in allowed_strings and english_words([text], allowed=allowed)
        ]
        if bad:
            report[url] = sorted(set(bad))
    return report
