"""The voting block's board, read where the block is rendered (the block itself holds no query)."""

from django import template
from django.utils import timezone

from ..rules.voting import TALLIES_AFTER
from ..services import voting

register = template.Library()


@register.simple_tag
def voting_board(value, request=None):
    """The board of a voting block (``value``): its call's candidates, state and tallies as the block shows them,
    with the candidate just voted for (``?voted=``); ``None`` for a block without a call."""
    call = value.get("call")
    if call is None:
        return None
    voted = request.GET.get("voted", "") if request is not None else ""
    return voting.block_board(
        call=call, now=timezone.now(), when=value.get("show_tallies") or TALLIES_AFTER, voted=voted
    )
