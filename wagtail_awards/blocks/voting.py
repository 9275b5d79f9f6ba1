"""The voting block: the candidates of a call with a vote button each.

The block's HTML holds nothing per visitor (no CSRF token, no captcha), so the page can be cached by a front-end
cache. ``vote.js`` fetches a captcha challenge and a CSRF token from the uncached ``vote/challenge/`` endpoint; without
JavaScript each vote button is a link to the uncached confirmation page, which asks the question itself.

Its rendered HTML is kept in the shared cache too, for pages rendered for a visitor (signed in, or past the page
cache): per call, block settings, page path and language, as long as the public pages
(``WAGTAIL_AWARDS_PAGE_CACHE_SECONDS``, purged with them, never past the call's next change of state). A page
shown after a vote (``?voted=``) renders it afresh.

The board itself (candidates, state, tallies) is read by the template, through ``{% voting_board %}``
(:mod:`wagtail_awards.templatetags.awards_voting`): the block holds no query, so the page models that use it stay
below the services.
"""

import json

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .. import page_cache
from ..rules.voting import TALLIES_AFTER, TALLIES_DURING


class PublishedPageChooserBlock(blocks.PageChooserBlock):
    """Wagtail's page chooser whose pages, read with the stream, come from the page cache's row cache: the call of
    a voting block shows its published state, which changes only on publishing (which purges the rows). Migrations
    see Wagtail's own block."""

    canonical_module_path = "wagtail.blocks.PageChooserBlock"

    def bulk_to_python(self, values):
        found = page_cache.remember(
            f"chosen-pages:{self.model_class._meta.label}:{','.join(str(value) for value in values)}",
            lambda: super(PublishedPageChooserBlock, self).bulk_to_python(values),
        )
        return list(found)


class VotingBlock(blocks.StructBlock):
    call = PublishedPageChooserBlock(page_type="wagtail_awards.CallPage", label=_("Call"))
    heading = blocks.CharBlock(label=_("Heading"), required=False)
    intro = blocks.RichTextBlock(label=_("Introduction"), required=False, features=["bold", "italic", "link"])
    show_tallies = blocks.ChoiceBlock(
        label=_("Show vote counts"),
        choices=[
            (TALLIES_DURING, _("During and after voting")),
            (TALLIES_AFTER, _("Only after voting closes")),
        ],
        default=TALLIES_AFTER,
    )

    class Meta:
        icon = "tick-inverse"
        label = _("Online vote")
        template = "wagtail_awards/blocks/voting.html"

    def render(self, value, context=None):
        name = self.fragment_name(value, context)
        timeout = 0
        if name is not None:
            now = timezone.now()
            change = value["call"].next_change(now)
            timeout = page_cache.seconds()
            if change is not None:
                timeout = min(timeout, int((change - now).total_seconds()))
        if timeout <= 0:
            return super().render(value, context=context)
        return page_cache.remember(
            name, lambda: super(VotingBlock, self).render(value, context=context), timeout=timeout
        )

    def fragment_name(self, value, context):
        """The name of the block's HTML in ``context`` in the page cache's row cache, or ``None`` when it is
        rendered afresh."""
        request = (context or {}).get("request")
        if request is None or value.get("call") is None or not page_cache.seconds() or request.GET.get("voted"):
            return None
        settings = json.dumps(self.get_prep_value(value), sort_keys=True, default=str)
        return f"voting-block:{settings}|{request.path}|{get_language()}"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context["return_to"] = request.path if request is not None else ""
        return context


class VotingBodyBlock(blocks.StreamBlock):
    """The body of a voting page: text and one or more voting blocks."""

    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])
    voting = VotingBlock()
