"""An upload handler that stops reading a file as soon as it passes its field's size limit."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class LimitedUploadHandler(FileUploadHandler):
    """Put first in ``request.upload_handlers`` (before the request body is read).

    ``limits`` maps a form field name to its maximum bytes per file; other fields get ``default_limit``. A file
    going over its limit is dropped while it streams in (the handlers after this one, which write to memory or to
    a temporary file, never see the rest), and recorded in ``errors`` as ``(field name, file name, limit)``.
    """

    def __init__(self, request=None, *, limits, default_limit):
        super().__init__(request)
        self.limits = dict(limits)
        self.default_limit = default_limit
        self.errors = []
        self.received = 0
        self.limit = default_limit

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0
        self.limit = self.limits.get(field_name, self.default_limit)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.errors.append((self.field_name, self.file_name, self.limit))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        # The next handler builds the file.
        return None
