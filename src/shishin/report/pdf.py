"""The report as a PDF for the council: A4 landscape, the header repeated on every page, the font embedded,
tagged for screen readers (PDF/UA-1: structure tags with table headers, the title, the language ja)."""

from __future__ import annotations

from . import html
from .records import Document, Issuer

__all__ = ["render"]


def render(document: Document, issuer: Issuer) -> bytes:
    # Imported here: WeasyPrint takes most of a second to import, which every command and worker would
    # pay at start though few of them ever write a PDF.
    import weasyprint

    # The print rules of the stylesheet (@page, IPAex Gothic) apply; WeasyPrint repeats <thead> on each page.
    page = weasyprint.HTML(string=html.render(document, issuer), media_type="print")
    pdf: bytes = page.write_pdf(pdf_variant="pdf/ua-1")
    return pdf
