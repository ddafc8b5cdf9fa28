"""Turning PDF bytes into page images with pdfium (QtPdf is not part of PySide6-Essentials)."""

from __future__ import annotations

import pypdfium2
from PySide6.QtGui import QImage

POINTS_PER_INCH = 72


def page_count(pdf: bytes) -> int:
    """Return the number of pages in ``pdf``."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def render_pages(pdf: bytes, dpi: float = 96, pages: list[int] | None = None) -> list[QImage]:
    """Return page images of ``pdf`` at ``dpi`` (all pages, or the numbers given, from 0).

    Safe off the GUI thread: QImage is plain memory, and each image owns a copy of its pixels.
    """
    document = pypdfium2.PdfDocument(pdf)
    images: list[QImage] = []
    try:
        for number in pages if pages is not None else range(len(document)):
            page = document[number]
            bitmap = page.render(
                scale=dpi / POINTS_PER_INCH, force_bitmap_format=pypdfium2.raw.FPDFBitmap_BGRA
            )
            # pdfium writes BGRA bytes, which is Qt's ARGB32 on the little-endian PCs we run on.
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_ARGB32,
            )
            images.append(image.copy())
            bitmap.close()
            page.close()
    finally:
        document.close()
    return images
