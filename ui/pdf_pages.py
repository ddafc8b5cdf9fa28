"""Turning PDF bytes into page images with pdfium (QtPdf is not part of PySide6-Essentials)."""

from __future__ import annotations

import threading

import pypdfium2
from PySide6.QtGui import QImage

POINTS_PER_INCH = 72

# pdfium is not thread-safe, even across separate documents: every call into it, from any
# thread, holds this lock.
PDFIUM = threading.Lock()


def page_count(pdf: bytes) -> int:
    """Return the number of pages in ``pdf``."""
    with PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def _image(page: pypdfium2.PdfPage, scale: float) -> QImage:
    bitmap = page.render(scale=scale, force_bitmap_format=pypdfium2.raw.FPDFBitmap_BGRA)
    try:
        # pdfium writes BGRA bytes, which is Qt's ARGB32 on the little-endian PCs we run on.
        image = QImage(
            bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_ARGB32
        )
        return image.copy()  # the copy owns its pixels; pdfium's bitmap is freed below
    finally:
        bitmap.close()


def render_pages(pdf: bytes, dpi: float = 96, pages: list[int] | None = None) -> list[QImage]:
    """Return page images of ``pdf`` at ``dpi`` (all pages, or the numbers given, from 0).

    Safe off the GUI thread: QImage is plain memory, and each image owns a copy of its pixels.
    """
    with PDFIUM:
        document = pypdfium2.PdfDocument(pdf)
        images: list[QImage] = []
        try:
            for number in pages if pages is not None else range(len(document)):
                page = document[number]
                try:
                    images.append(_image(page, dpi / POINTS_PER_INCH))
                finally:
                    page.close()
        finally:
            document.close()
    return images


class PdfPages:
    """One PDF held open so single pages can be drawn on demand, from any one thread at a time.

    Only the page sizes are read up front (pdfium reads them without laying a page out), so
    opening a 700-page appendix costs milliseconds; ``close`` frees pdfium's memory.
    """

    def __init__(self, pdf: bytes) -> None:
        self.pdf = pdf
        with PDFIUM:
            self._document: pypdfium2.PdfDocument | None = pypdfium2.PdfDocument(pdf)
            self.sizes: list[tuple[float, float]] = [
                tuple(self._document.get_page_size(i))  # type: ignore[misc]
                for i in range(len(self._document))
            ]

    def __len__(self) -> int:
        return len(self.sizes)

    def render(self, number: int, width: int) -> QImage:
        """Return page ``number`` (from 0) drawn ``width`` pixels wide; a null image once closed."""
        with PDFIUM:
            if self._document is None:
                return QImage()
            page = self._document[number]
            try:
                return _image(page, width / page.get_width())
            finally:
                page.close()

    def render_dpi(self, number: int, dpi: float) -> QImage:
        """Return page ``number`` (from 0) drawn at ``dpi``; a null image once closed."""
        with PDFIUM:
            if self._document is None:
                return QImage()
            page = self._document[number]
            try:
                return _image(page, dpi / POINTS_PER_INCH)
            finally:
                page.close()

    def close(self) -> None:
        """Free pdfium's copy of the document (safe to call twice, and while a render waits)."""
        with PDFIUM:
            if self._document is not None:
                self._document.close()
                self._document = None
            self.pdf = b""


def pdf_subset(pdf: bytes, pages: list[int]) -> bytes:
    """Return a PDF of only ``pages`` (from 0) of ``pdf``, their content copied, not redrawn."""
    import io

    with PDFIUM:
        source = pypdfium2.PdfDocument(pdf)
        target = pypdfium2.PdfDocument.new()
        try:
            target.import_pages(source, pages)
            buffer = io.BytesIO()
            target.save(buffer)
            return buffer.getvalue()
        finally:
            target.close()
            source.close()
