"""A scrolling column of PDF pages that draws only the pages in view, off the GUI thread."""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QImage,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollArea, QWidget

from ui import tasks
from ui.pdf_pages import POINTS_PER_INCH, PdfPages

GAP = 12  # pixels around each page
AHEAD = 2  # pages drawn beyond each edge of the view, so scrolling finds them ready
KEEP = 12  # page images kept at most; the rest are drawn again when scrolled back to
MAX_DPI = 110  # at "fit width" a page is never drawn larger than this, however wide the window
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)  # times the fitted width
# The keys the preview answers to, as (keys, what they do): F1 lists them with the window's.
ZOOM_KEYS = (
    (QKeySequence.StandardKey.ZoomIn, "Ctrl++", "Zoom in"),
    (QKeySequence.StandardKey.ZoomOut, "Ctrl+-", "Zoom out"),
    (None, "Ctrl+0", "Fit the page to the width"),
)


class _Strip(QWidget):
    """The tall surface the pages sit on; paints each page in view, or its placeholder."""

    def __init__(self, view: PageView) -> None:
        super().__init__(view)
        self.view = view

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().dark())
        view = self.view
        for number in view.pages_in(event.rect().top(), event.rect().bottom()):
            rect = view.page_rect(number)
            painter.fillRect(rect, Qt.GlobalColor.white)
            image = view.images.get(number)
            if image is not None:
                # At its own size (it was drawn for this width and the screen's pixel
                # ratio): scaling it to the rect's rounded height would drop a pixel row
                # and squash a line of text.
                painter.drawImage(rect.topLeft(), image)
            else:
                painter.setPen(QColor("#888888"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"Page {number + 1}")
            painter.setPen(QColor("#555555"))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()


class PageView(QScrollArea):
    """Shows a PdfPages: placeholders for every page, pictures only for those in view.

    Each picture is drawn by pdfium in the background at the width it is shown; a page that
    has scrolled away, or a document that has been replaced, is not drawn at all.
    """

    settled = Signal()  # every page in view (and those ahead) has been drawn
    page_changed = Signal(int)  # the page at the top of the view (from 0), as it scrolls
    zoom_changed = Signal(float)  # the new zoom, times the fitted width

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: PdfPages | None = None
        self.images: dict[int, QImage] = {}
        self.rendered: list[int] = []  # every page drawn, in order: what the tests count
        self._pending: set[int] = set()
        self._wanted: set[int] = set()
        self._tops: list[int] = []
        self._bottoms: list[int] = []
        self._width = 0
        self._generation = 0
        self.zoom = 1.0
        self.zoom_actions = self._zoom_actions()
        self.strip = _Strip(self)
        self.setWidget(self.strip)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setBackgroundRole(self.backgroundRole().Dark)
        self.verticalScrollBar().valueChanged.connect(lambda _value: self._fill())

    # -- the document ---------------------------------------------------------------------

    def show_document(self, document: PdfPages | None, keep_place: bool = False) -> None:
        """Show ``document`` (closing the one shown before); None shows nothing."""
        old, self.document = self.document, document
        if old is not None and old is not document:
            old.close()
        self._generation += 1
        self.images.clear()
        self._pending.clear()
        self._layout()
        if not keep_place:
            self.verticalScrollBar().setValue(0)
        self._fill()
        self.strip.update()

    def busy(self) -> bool:
        """Return whether pages in view are still being drawn."""
        return bool(self._pending)

    def release(self) -> None:
        """Close the document and drop every picture (the dialog is closing)."""
        self.show_document(None)

    # -- zoom -------------------------------------------------------------------------------

    def _zoom_actions(self) -> list[QAction]:
        """Return the zoom keys as actions of this view (they work while it has the focus)."""
        found = []
        for (standard, fallback, name), slot in zip(
            ZOOM_KEYS, (self.zoom_in, self.zoom_out, lambda: self.set_zoom(1.0)), strict=True
        ):
            action = QAction(name, self)
            keys = QKeySequence.keyBindings(standard) if standard is not None else []
            action.setShortcuts(keys or [QKeySequence(fallback)])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            found.append(action)
        return found

    def zoom_in(self) -> None:
        """Show the pages one step larger (up to three times the fitted width)."""
        self.set_zoom(next((z for z in ZOOMS if z > self.zoom + 1e-6), ZOOMS[-1]))

    def zoom_out(self) -> None:
        """Show the pages one step smaller (down to half the fitted width)."""
        self.set_zoom(next((z for z in reversed(ZOOMS) if z < self.zoom - 1e-6), ZOOMS[0]))

    def set_zoom(self, zoom: float) -> None:
        """Show the pages at ``zoom`` times the fitted width, the same page staying in view."""
        zoom = min(max(zoom, ZOOMS[0]), ZOOMS[-1])
        if zoom == self.zoom:
            return
        bar = self.verticalScrollBar()
        # Where the view stands, as a page and a fraction of its height: the same after.
        first = self.visible_pages().start if self._tops else 0
        if self._tops:
            top, bottom = self._tops[first], self._bottoms[first]
            where = (bar.value() - top) / max(bottom - top, 1)
        self.zoom = zoom
        self._layout()
        self.images.clear()  # drawn at the old size; those in view are drawn again below
        if self._tops:
            top, bottom = self._tops[first], self._bottoms[first]
            bar.setValue(top + round(where * (bottom - top)))
        self._fill()
        self.strip.update()
        self.zoom_changed.emit(zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl with the wheel zooms, as in every viewer; the wheel alone scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y()
            if steps:
                self.zoom_in() if steps > 0 else self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    # -- geometry ---------------------------------------------------------------------------

    def _layout(self) -> None:
        sizes = self.document.sizes if self.document is not None else []
        widest = max((w for w, _h in sizes), default=0)
        room = max(self.viewport().width() - 2 * GAP, 100)
        fitted = min(room, widest * MAX_DPI / POINTS_PER_INCH)
        self._width = int(fitted * self.zoom) if sizes else 0
        top = GAP
        self._tops, self._bottoms = [], []
        for w, h in sizes:
            self._tops.append(top)
            top += int(self._width * h / w)
            self._bottoms.append(top)
            top += GAP
        width = max(self.viewport().width(), self._width + 2 * GAP)
        self.strip.resize(QSize(width, max(top, self.viewport().height())))

    def page_rect(self, number: int) -> QRect:
        """Return where page ``number`` (from 0) sits on the strip."""
        assert self.document is not None
        w, h = self.document.sizes[number]
        left = (self.strip.width() - self._width) // 2
        return QRect(left, self._tops[number], self._width, int(self._width * h / w))

    def pages_in(self, top: int, bottom: int) -> range:
        """Return the pages any part of which lies between ``top`` and ``bottom`` on the strip."""
        if not self._tops:
            return range(0)
        first = min(bisect_right(self._bottoms, top), len(self._tops) - 1)
        last = max(bisect_right(self._tops, bottom) - 1, first)
        return range(first, last + 1)

    def visible_pages(self) -> range:
        """Return the pages in view now."""
        top = self.verticalScrollBar().value()
        return self.pages_in(top, top + self.viewport().height())

    def show_page(self, number: int) -> None:
        """Scroll so that page ``number`` (from 0) is at the top of the view."""
        if 0 <= number < len(self._tops):
            self.verticalScrollBar().setValue(self._tops[number] - GAP)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Lay the pages out again for the new width; draw them again when it changed."""
        super().resizeEvent(event)
        width = self._width
        self._layout()
        if self._width != width:
            self.images.clear()  # drawn at the old width; they are drawn again below
        self._fill()

    # -- drawing pages in the background ----------------------------------------------------

    def _fill(self) -> None:
        if self.document is None:
            self._wanted = set()
            return
        shown = self.visible_pages()
        if shown:
            self.page_changed.emit(shown.start)
        wanted = range(max(shown.start - AHEAD, 0), min(shown.stop + AHEAD, len(self._tops)))
        self._wanted = set(wanted)
        # Keep the pictures nearest the view; drop the rest so memory stays bounded (fewer
        # when zoomed in, as each is larger).
        keep = max(len(wanted), round(KEEP / self.zoom**2))
        for number in sorted(self.images, key=lambda n: abs(n - shown.start))[keep:]:
            del self.images[number]
        for number in wanted:
            if number not in self.images and number not in self._pending:
                self._draw(number)

    def _keep(self, number: int, image: QImage | None, width: int) -> None:
        # Compared by the width asked for: pdfium rounds a page's pixel width up, so the
        # picture may be a pixel wider, and judging by it would redraw that page forever.
        stale = image is None or width != int(self._width * self.devicePixelRatioF())
        if stale and number in self._wanted:
            self._draw(number)  # skipped or drawn at an old width, and wanted again now
        if stale or image is None:
            return
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self.images[number] = image
        self.rendered.append(number)
        self.strip.update(self.page_rect(number))

    def _draw(self, number: int) -> None:
        document, generation = self.document, self._generation
        width = int(self._width * self.devicePixelRatioF())
        assert document is not None
        self._pending.add(number)

        def work() -> QImage | None:
            # Scrolled past or replaced while it waited: nothing to draw.
            if generation != self._generation or number not in self._wanted:
                return None
            return document.render(number, width)

        def done(image: QImage | None) -> None:
            task.deleteLater()
            if generation != self._generation:
                return
            self._pending.discard(number)
            self._keep(number, image, width)
            if not self._pending:
                self.settled.emit()

        def failed(exc: BaseException) -> None:
            # A page that could not be drawn must not hold the view "busy" for ever.
            task.deleteLater()
            self._pending.discard(number)
            if not self._pending:
                self.settled.emit()
            raise exc

        task = tasks.run(self, "Drawing a page…", work, done, failed, quiet=True)
