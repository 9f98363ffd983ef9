"""The one-article endpoint's upload handler: an article file over the size limit is refused as it arrives."""

from django.core.files.uploadhandler import FileUploadHandler

from annotator.errors import TooLarge
from annotator.validation import MAX_ARTICLE_BYTES

# Room in a multipart body for the form's other fields (title, outlet, topics...) and its boundaries.
FORM_ALLOWANCE = 64 * 1024


def article_too_large(field: str) -> TooLarge:
    return TooLarge(field, f"The article is larger than {MAX_ARTICLE_BYTES:,} bytes (2 MB), the limit.")


class ArticleUploadHandler(FileUploadHandler):
    """Runs before Django's own handlers, which would first take the whole upload in (a 300 MB body to
    memory or a temporary file) before the article's 2 MB limit could be checked.

    A body whose declared length leaves no doubt is refused when its file begins; otherwise the
    file's bytes are counted as they arrive and the upload is refused at the first chunk past the
    limit. Either way the rest of the body is never read, and the error names the file's field.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.body_length = content_length

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        if self.body_length > MAX_ARTICLE_BYTES + FORM_ALLOWANCE:
            raise article_too_large(field_name)

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_ARTICLE_BYTES:
            raise article_too_large(self.field_name)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (Django's) keeps the file
