"""StreamField blocks of the app. Templates live under ``templates/wagtail_awards/blocks/`` and may be overridden."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "wagtail_awards/blocks/heading.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, help_text=_("Defaults to the document title."))

    class Meta:
        icon = "doc-full"
        label = _("Document link")
        template = "wagtail_awards/blocks/document_link.html"


class NoticeBodyBlock(blocks.StreamBlock):
    """The free text of a notice: headings, rich text and links to documents."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul", "document-link"]
    )
    document = DocumentLinkBlock()


# The voting block lives in its own module; importable from here like every other block.
from .voting import VotingBlock, VotingBodyBlock  # noqa: E402, F401
