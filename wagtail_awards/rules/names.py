"""Names of units and projects as people type them, reduced for matching (pure).

Two spellings of one name must meet: full-width and half-width forms, traditional and simplified characters,
spaces, punctuation and invisible characters (zero-width spaces, joiners, direction marks) typed or pasted in.
"""

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

#: How alike two reduced names must be (0..1, ``difflib`` ratio) to be shown to an approver as a near match.
NEAR_MATCH_RATIO = 0.8

_NOT_WORD = re.compile(r"[\W_]+")
# 第一中学 and 第二中学 are two schools, however alike the rest of their names.
_NUMERALS = re.compile(r"[0-9零〇一二三四五六七八九十百千]+")


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s")


def clean_typed_name(value: str) -> str:
    """A name as it should be stored: NFKC, no invisible or control characters, single spaces, no edges."""
    value = unicodedata.normalize("NFKC", value or "")
    value = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cf", "Cc", "Co", "Cs"))
    return " ".join(value.split())


def normalise_name(value: str) -> str:
    """A name reduced for matching: cleaned, simplified characters, no spaces or punctuation, lower case."""
    value = clean_typed_name(value)
    if value:
        value = _to_simplified().convert(value)
    return _NOT_WORD.sub("", value).lower()


def similarity(a: str, b: str) -> float:
    """How alike two names are after :func:`normalise_name` (1.0: the same name)."""
    a, b = normalise_name(a), normalise_name(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def is_near(a: str, b: str, *, ratio: float = NEAR_MATCH_RATIO, numbers_matter: bool = True) -> bool:
    """Whether two different spellings probably name the same thing (one inside the other, or alike).

    With ``numbers_matter`` (units: 第一中学 is not 第二中学) names with different numbers are never near; for
    projects (“…（二期）”) pass ``False``.
    """
    x, y = normalise_name(a), normalise_name(b)
    if not x or not y:
        return False
    if x == y:
        return True
    if numbers_matter and _NUMERALS.findall(x) != _NUMERALS.findall(y):
        return False
    shorter, longer = sorted((x, y), key=len)
    if len(shorter) >= 4 and shorter in longer:
        return True
    return SequenceMatcher(None, x, y).ratio() >= ratio
