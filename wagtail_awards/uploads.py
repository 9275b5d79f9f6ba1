"""The request-size policy: what the server reads of an uploaded body before any view has looked at it.

Django parses a multipart body the first time anything reads ``request.POST`` or ``request.FILES`` (the CSRF
middleware does, for every POST), and its own upload handlers write every file part to a temporary file whatever the
field. The handlers here sit in front of Django's and decide, chunk by chunk, what goes on:

- :class:`UploadPolicyHandler`, first in ``FILE_UPLOAD_HANDLERS`` (see the README), applies to every request: no
  file bytes at all from anonymous visitors, and at most ``WAGTAIL_AWARDS_MAX_REQUEST_SIZE`` bytes of files from
  anyone; a body declared larger than that is not read.
- A view that takes files calls :func:`install_upload_limits` before it reads the body: each of its file fields gets
  its own limit per file, any other field name gets 0 bytes, and anonymous visitors get nothing unless the view says
  so (the objection form).

A file refused while it streams in is dropped at the chunk that passes its limit (the handlers after these ones,
which write to memory or to a temporary file, never see that chunk or the rest) and recorded in ``errors`` so the form
can say why.
"""

from dataclasses import dataclass

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _

from .conf import awards_settings
from .rules.files import format_size


@dataclass(frozen=True)
class RefusedUpload:
    """A file dropped while it streamed in. ``reason``: ``"size"`` (over ``limit`` bytes per file), ``"total"``
    (the request's files together over ``limit``) or ``"not_accepted"`` (no file is taken here, e.g. anonymous)."""

    field_name: str
    file_name: str
    limit: int
    reason: str


def max_request_size() -> int:
    return int(awards_settings.MAX_REQUEST_SIZE)


def zip_limits() -> dict:
    """The ZIP expansion limits of the settings, as keyword arguments of ``rules.files.check_file``."""
    return {
        "zip_max_size": int(awards_settings.ZIP_MAX_SIZE),
        "zip_max_ratio": int(awards_settings.ZIP_MAX_RATIO),
    }


def declared_length(request) -> int:
    """The body length the client declared (0 when missing or not a number)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def body_too_large(request) -> bool:
    """Whether the request declares a body larger than ``WAGTAIL_AWARDS_MAX_REQUEST_SIZE`` (checked before reading)."""
    return declared_length(request) > max_request_size()


class LimitedUploadHandler(FileUploadHandler):
    """Drop files over their field's limit, files of fields not in ``limits`` and, unless ``allow_anonymous``, every
    file of an anonymous visitor; stop keeping files once they add up to ``max_total`` bytes.

    ``limits`` maps a form field name to its maximum bytes per file; ``default_limit`` applies to other names
    (0: refused). Refusals are recorded in ``errors`` as :class:`RefusedUpload`.
    """

    def __init__(self, request=None, *, limits, default_limit=0, allow_anonymous=False, max_total=None):
        super().__init__(request)
        self.limits = dict(limits)
        self.default_limit = default_limit
        self.allow_anonymous = allow_anonymous
        self.max_total = max_request_size() if max_total is None else max_total
        self.errors: list[RefusedUpload] = []
        self.received = 0
        self.total = 0
        self.limit = 0
        self.refusal = None

    def _anonymous(self):
        user = getattr(self.request, "user", None)
        return user is None or not user.is_authenticated

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A view that takes uploads checks this first and answers with a page; this is the floor for every other one.
        if content_length > self.max_total:
            raise RequestDataTooBig("The request body is larger than WAGTAIL_AWARDS_MAX_REQUEST_SIZE.")
        return None

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0
        self.refusal = None
        self.limit = self.limits.get(field_name, self.default_limit)
        if self._anonymous() and not self.allow_anonymous:
            self.refusal = RefusedUpload(field_name, file_name, 0, "not_accepted")
        elif field_name not in self.limits and self.default_limit <= 0:
            # A field the form does not have: nothing of it is kept, and nothing is said (the form ignores it).
            self.refusal = RefusedUpload(field_name, file_name, 0, "")
        # The refusal is raised at the first chunk, not here: the handlers after this one must have opened their
        # file for this part, or the parser, closing "the current file" of each handler, would close the last one kept.

    def _refuse(self, refusal):
        if refusal.reason:
            self.errors.append(refusal)
        raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        if self.refusal is not None:
            self._refuse(self.refusal)
        self.received += len(raw_data)
        self.total += len(raw_data)
        if self.received > self.limit:
            self._refuse(RefusedUpload(self.field_name, self.file_name, self.limit, "size"))
        if self.total > self.max_total:
            self._refuse(RefusedUpload(self.field_name, self.file_name, self.max_total, "total"))
        return raw_data

    def file_complete(self, file_size):
        # The next handler builds the file.
        return None


class UploadPolicyHandler(LimitedUploadHandler):
    """The site-wide floor, first in ``FILE_UPLOAD_HANDLERS``: no file bytes from anonymous visitors; from anyone,
    at most ``WAGTAIL_AWARDS_MAX_REQUEST_SIZE`` bytes of files per request, and no body declared larger is read."""

    def __init__(self, request=None):
        size = max_request_size()
        super().__init__(request, limits={}, default_limit=size, allow_anonymous=False, max_total=size)


def install_upload_limits(request, *, limits, allow_anonymous=False):
    """Put a :class:`LimitedUploadHandler` for ``limits`` (field name → bytes per file) in front of the request's
    upload handlers, in place of the site-wide :class:`UploadPolicyHandler`; return it.

    Call before anything reads ``request.POST`` or ``request.FILES`` (Django refuses to change handlers later).
    """
    handler = LimitedUploadHandler(request, limits=limits, allow_anonymous=allow_anonymous)
    handlers = [h for h in request.upload_handlers if not isinstance(h, LimitedUploadHandler)]
    request.upload_handlers = [handler, *handlers]
    request.awards_upload_handler = handler
    return handler


def refused_uploads(request) -> list[RefusedUpload]:
    """The files dropped while this request's body was read (after it was read), with a reason to show."""
    errors = []
    for handler in getattr(request, "_upload_handlers", []):
        if isinstance(handler, LimitedUploadHandler):
            errors.extend(handler.errors)
    return errors


def refusal_message(refusal: RefusedUpload) -> str:
    """The translated sentence telling why a file was dropped while it streamed in."""
    values = {"name": refusal.file_name, "limit": format_size(refusal.limit)}
    if refusal.reason == "size":
        return _("“%(name)s” is too large: at most %(limit)s are accepted.") % values
    if refusal.reason == "total":
        return _("“%(name)s” was not kept: files sent at once may not exceed %(limit)s in all.") % values
    return _("“%(name)s” was not accepted: files cannot be sent here.") % values
