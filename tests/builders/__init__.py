"""The test data builders, in one place: small makers by subject (``calls``, ``people``, ``applications``,
``votes``), what a visitor does through the site (``client``) and the one world builder (``world``).

Tests import from here: ``from tests.builders import build_world, make_call, post_vote``.
"""

from .applications import (
    PDF,
    PNG,
    complete_data,
    make_application,
    make_candidates,
    save_url,
    stream,
    summary_name,
    upload,
)
from .calls import (
    SHANGHAI,
    local,
    make_award,
    make_call,
    make_form_page,
    make_publicity,
    make_publicity_page,
    make_site,
    make_voting_call,
    make_voting_page,
)
from .client import bound_challenge, register
from .people import PASSWORD, approve, make_org, make_province_admin, make_user, verify_voter
from .votes import add_vote, post_vote, vote_url
from .world import BEFORE, DEADLINE, STAGES, World, build_world

__all__ = [
    "BEFORE",
    "DEADLINE",
    "PASSWORD",
    "PDF",
    "PNG",
    "SHANGHAI",
    "STAGES",
    "World",
    "add_vote",
    "approve",
    "bound_challenge",
    "build_world",
    "complete_data",
    "local",
    "make_application",
    "make_award",
    "make_call",
    "make_candidates",
    "make_form_page",
    "make_org",
    "make_province_admin",
    "make_publicity",
    "make_publicity_page",
    "make_site",
    "make_user",
    "make_voting_call",
    "make_voting_page",
    "post_vote",
    "register",
    "save_url",
    "stream",
    "summary_name",
    "upload",
    "verify_voter",
    "vote_url",
]
