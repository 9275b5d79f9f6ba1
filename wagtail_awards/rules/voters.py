"""Who may vote, pure: the voter identities a site accepts (``WAGTAIL_AWARDS_VOTERS``), a voter and what a visitor
lacks to be one, and the voting codes' form (see :mod:`wagtail_awards.services.voters`)."""

import secrets
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from ..conf import awards_settings
from .voting import VoteRefused

VERIFIED_ACCOUNT = "verified_account"
VOTING_CODE = "voting_code"
INSECURE_DEVICE = "insecure_device"
MODES = (VERIFIED_ACCOUNT, VOTING_CODE, INSECURE_DEVICE)
#: Voting codes: twelve characters without look-alikes (no 0/O, 1/I/L), about 60 bits, shown in groups of four.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


@dataclass(frozen=True)
class Voter:
    """Who votes: ``key`` is what the per-voter limits count; ``user_id`` and ``code_id`` say where it came from."""

    key: str
    user_id: int | None = None
    code_id: int | None = None


@dataclass(frozen=True)
class Need:
    """What a visitor lacks to vote: ``"login"``, ``"verify"`` (an account without a verified address),
    ``"roll"`` (a verified address that is not on the voter roll), ``"code"`` or ``"device"`` (no signed device
    cookie yet)."""

    reason: str

    @property
    def message(self):
        return VoteRefused.MESSAGES[self.reason]


def modes() -> tuple[str, ...]:
    """The voter identities accepted (``WAGTAIL_AWARDS_VOTERS``), checked."""
    value = awards_settings.VOTERS
    chosen = (value,) if isinstance(value, str) else tuple(value)
    unknown = [mode for mode in chosen if mode not in MODES]
    if unknown or not chosen:
        raise ImproperlyConfigured(f"WAGTAIL_AWARDS_VOTERS: choose among {', '.join(MODES)} (got {value!r}).")
    return chosen


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """Capitals without spaces or dashes, full-width characters (typed with a Chinese input method) made plain."""
    text = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(ch for ch in text if ch in CODE_ALPHABET or ch.isalnum())


def show_code(code: str) -> str:
    """``ABCD-EFGH-JKMN``: easier to read and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
