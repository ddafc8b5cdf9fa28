"""Tags for the PDF appendix: a structure tree and marked content, recorded as pages are drawn.

reportlab writes no tags and no maintained library adds them to its output, so the
drawing code calls one ``Tagger`` kept on the canvas (``canvas.tagger``): containers
(tables, rows, cells) are entered and left by a stable key, so the part of a row carried
onto the next page is found again and stays one row; each piece of text is wrapped in
``/P <</MCID n>> BDC … EMC`` under the element it belongs to; page furniture is wrapped in
``/Artifact BMC … EMC``. When the document is saved, ``finish`` adds the catalog entries
a tagged PDF needs (``/MarkInfo``, ``/Lang``, ``/DisplayDocTitle``, XMP with the PDF/UA
identifier), and ``append_to`` writes the tree and its parent tree as plain text after
reportlab's file (an incremental update), so tagging a long appendix costs little more
than drawing it.
"""

from __future__ import annotations

import re
import struct
import zlib
from itertools import accumulate, count
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFStream,
    PDFString,
)
from reportlab.platypus import Paragraph

LANG = "en-GB"
_CELLS = ("TD", "TH")
# reportlab's trailer: its dictionary and where its cross-reference table starts.
_TRAILER = re.compile(rb"trailer\s*<<(.*?)>>\s*startxref\s*(\d+)\s*%%EOF", re.S)
_SIZE = re.compile(rb"/Size\s+(\d+)")
# What the appended trailer repeats: the document's id, info and catalog.
_KEPT = re.compile(rb"/ID\s*\[[^\]]*\]|/Info\s+\d+\s+0\s+R|/Root\s+\d+\s+0\s+R")
_PER_STREAM = 500  # objects per object stream: big enough to compress well
# A cross-reference stream's row: type, then offset or object stream, then generation or index.
_XREF_ROW = struct.Struct(">BIH")
_INDICES = [k.to_bytes(2, "big") for k in range(_PER_STREAM)]  # an object's place in its stream
ARTIFACT = "/Artifact BMC"
END = "EMC"
_ids = count(1)


def new_id() -> int:
    """Return a key no other drawn element uses: a table, a header, an action's rows."""
    return next(_ids)


class Element:
    """One structure element: its role, attributes and kids in reading order.

    A kid is another ``Element`` or a marked-content reference ``(page index, MCID)``. An
    element made under ``parent`` is added to its kids; it keeps no link back (its parent
    is found when the tree is written), so a tree is no reference cycle and is freed as
    soon as it is dropped.
    """

    __slots__ = ("alias", "attrs", "kids", "name", "role")

    def __init__(self, role: str, parent: Element | None, attrs: str = "") -> None:
        self.role = role
        self.attrs = attrs  # the /A dictionary's body, e.g. "/O /Table /Scope /Column"
        self.kids: list[Element | tuple[int, int]] = []
        self.name = ""
        self.alias: Element | None = None  # the cell a lone paragraph was folded into
        if parent is not None:
            parent.kids.append(self)


def of(canvas: object) -> Tagger | None:
    """Return the canvas's tagger, or None where nothing is tagged (another document)."""
    return getattr(canvas, "tagger", None)


class TaggedParagraph(Paragraph):
    """A reportlab Paragraph (markup, or text plain paragraphs hand over) drawn as one element.

    ``tag`` is its element's role (None: its text belongs to the innermost of ``outer``
    itself); ``outer`` are the elements it is drawn in, outermost first, as ``(key, role,
    attributes)``, made the first time a paragraph names them. In a list item (an ``LI``
    innermost) its bullet is the item's ``Lbl`` and its text goes in the item's ``LBody``.
    """

    tag: str | None = "P"
    continues = False
    outer: tuple[tuple[object, str, str], ...] = ()

    def split(self, avail_width: float, avail_height: float) -> list[Paragraph]:
        """Split as Paragraph does; the part carried on stays the same element."""
        parts = super().split(avail_width, avail_height)
        for k, part in enumerate(parts):
            part.tag = self.tag
            part.outer = self.outer
            part.continues = self.continues if k == 0 else True
        return parts

    def draw(self) -> None:
        """Draw the paragraph inside its marked content."""
        tagger = of(self.canv)
        code = self.canv._code
        if tagger is None or tagger.in_artifact:
            super().draw()
        elif self.tag == "Artifact":
            code.append(ARTIFACT)
            super().draw()
            code.append(END)
        else:
            self._draw_tagged(tagger, code)

    def _draw_tagged(self, tagger: Tagger, code: list[str]) -> None:
        for key, role, attrs in self.outer:
            tagger.enter(key, role, attrs)
        label: list[str] = []
        item = self.outer[-1][0] if self.outer and self.outer[-1][1] == "LI" else None
        if item is not None:
            if self.bulletText and not self.continues:
                tagger.mark(label, "Lbl")
            tagger.enter((item, "LBody"), "LBody")
        body: list[str] = []
        tagger.mark(body, self.tag, self.continues)
        if label:
            # Paragraph draws the bullet as a text object of its own, first: the label
            # closes after it and the body opens before the text.
            code += label
            start = len(code)
            super().draw()
            bullet = next(k for k in range(start, len(code)) if code[k].startswith("BT"))
            code.insert(bullet + 1, f"{END} {body[0]}")
        else:
            code += body
            super().draw()
        code.append(END)
        for _ in range(len(self.outer) + (item is not None)):
            tagger.leave()


class Marks:
    """Marked content switched word by word inside one text object: a paragraph with marks.

    A paragraph's superscript marks are elements of their own inside its element: a
    footnote's number the ``Lbl`` of its ``Note``, a mark in the text a ``Reference``. The
    sequences open and close within the paragraph's text object, never nested.
    """

    __slots__ = ("_open", "element", "tagger")

    def __init__(self, tagger: Tagger, element: Element) -> None:
        self.tagger = tagger
        self.element = element
        self._open: Element | None = None

    def text(self, out: list[str]) -> None:
        """Open the paragraph's own marked content for the words drawn next."""
        if self._open is not self.element:
            self._switch(out, self.element)

    def mark(self, out: list[str]) -> None:
        """Open marked content for a superscript mark drawn next."""
        role = "Lbl" if self.element.role == "Note" else "Reference"
        self._switch(out, Element(role, self.element))

    def close(self, out: list[str]) -> None:
        """Close the sequence open, before the text object ends."""
        self._switch(out, None)

    def _switch(self, out: list[str], element: Element | None) -> None:
        if self._open is not None:
            out.append(END)
        self._open = element
        if element is not None:
            self.tagger._attach(out, element)


class TableTags:
    """A reportlab Table's render callback: its fills and rules as furniture, its cells tagged.

    ``cell(row, column)`` returns a cell's role and attributes (None for a blank cell);
    rows before ``skip`` are not table rows (a title drawn in the table's first row);
    ``outer`` are keys of elements entered first (the cell a table is drawn in). Without
    ``cell`` only the fills and rules are marked (a banner: its text is a heading).
    """

    def __init__(self, cell=None, skip: int = 0, outer: tuple = ()) -> None:
        self.cell = cell
        self.skip = skip
        self.outer = outer
        self.key = new_id()
        self._row = self._cell = self._repeat = False

    def __call__(self, table: object, event: str, *args: object) -> None:
        """Mark what the table draws next (reportlab calls this at each step)."""
        tagger = of(table.canv)
        if tagger is None:
            return
        code = table.canv._code
        if event in ("startBG", "startLines"):
            tagger.begin_artifact(code)
        elif event in ("endBG", "endLines"):
            tagger.end_artifact(code)
        elif self.cell is None:
            return
        elif event == "startTable":
            for key in self.outer:
                tagger.enter(key, "Div")
        elif event == "endTable":
            for _ in self.outer:
                tagger.leave()
        elif event == "startRow":
            # The table's element is made with its first row: a title row above is not in it.
            self._row = args[0] >= self.skip
            row = (self.key, id(table._cellvalues[args[0]]))
            self._repeat = self._row and tagger.seen(row)
            if self._repeat:  # a header row repeated on the next page: furniture
                self._row = False
                tagger.begin_artifact(code)
            elif self._row:
                tagger.enter((self.key, "table"), "Table")
                tagger.enter(row, "TR")
        elif event == "endRow":
            if self._row:
                tagger.leave()
                tagger.leave()
            elif self._repeat:
                tagger.end_artifact(code)
        elif event == "startCell":
            row, column = args[0], args[1]
            self._cell = self._row
            if self._cell:
                role, attrs = self.cell(row, column)
                tagger.enter((self.key, id(table._cellvalues[row]), column), role, attrs)
        elif event == "endCell" and self._cell:
            tagger.leave()


class Tagger:
    """Records the structure tree while pages are drawn; writes it when the PDF is saved."""

    def __init__(self) -> None:
        self.root = Element("Document", None)
        self._stack = [self.root]
        self._known: dict[object, Element] = {}
        self._artifact = 0
        self.page = 0
        self._mcid = 0
        self.parents: list[list[Element]] = [[]]  # per page, the element of each MCID

    # -- while drawing -----------------------------------------------------------------

    @property
    def in_artifact(self) -> bool:
        """Whether what is drawn now is furniture: its text gets no MCID."""
        return self._artifact > 0

    def seen(self, key: object) -> bool:
        """Whether an element of ``key`` was made already (a header drawn once tagged)."""
        return key in self._known

    def enter(self, key: object, role: str, attrs: str = "") -> None:
        """Enter the element of ``key`` (made under the current one the first time)."""
        element = self._known.get(key)
        if element is None:
            element = self._known[key] = Element(role, self._stack[-1], attrs)
        self._stack.append(element)

    def leave(self) -> None:
        """Leave the element entered last."""
        self._stack.pop()

    def begin_artifact(self, out: list[str]) -> None:
        """Start page furniture: nothing drawn until ``end_artifact`` joins the tree."""
        self._artifact += 1
        out.append(ARTIFACT)

    def end_artifact(self, out: list[str]) -> None:
        """End page furniture."""
        self._artifact -= 1
        out.append(END)

    def mark(self, out: list[str], role: str | None = "P", continues: bool = False) -> bool:
        """Open marked content for text drawn next; return whether ``END`` must close it.

        ``role`` makes a new element under the current one (None: the text belongs to the
        current element itself); ``continues`` adds it to the current element's last
        ``role`` kid instead, as for the rest of a paragraph carried onto the next page.
        """
        element = self.element(role, continues)
        if element is None:
            return False
        self._attach(out, element)
        return True

    def element(self, role: str | None = "P", continues: bool = False) -> Element | None:
        """Return the element text drawn next belongs to, as ``mark`` finds or makes it.

        None inside an artifact.
        """
        if self._artifact:
            return None
        parent = self._stack[-1]
        if role is None:
            return parent
        last = parent.kids[-1] if parent.kids else None
        if continues and isinstance(last, Element) and last.role == role:
            return last
        return Element(role, parent)

    def mark_item(self, out_label: list[str], continues: bool) -> Element | None:
        """Open a list item's label (or, with ``continues``, find the item's body).

        Returns the item's body element, to be marked with ``mark_body``.
        """
        if self._artifact:
            return None
        parent = self._stack[-1]
        last = parent.kids[-1] if parent.kids else None
        if continues and isinstance(last, Element) and last.role == "L" and last.kids:
            item = last.kids[-1]
            return item.kids[-1] if isinstance(item, Element) else None
        if not (isinstance(last, Element) and last.role == "L"):
            last = Element("L", parent, "/O /List /ListNumbering /Disc")
        item = Element("LI", last)
        self._attach(out_label, Element("Lbl", item))
        return Element("LBody", item)

    def mark_body(self, out: list[str], body: Element) -> None:
        """Open marked content for a list item's body."""
        self._attach(out, body)

    def _attach(self, out: list[str], element: Element) -> None:
        mcid = self._mcid
        self._mcid += 1
        element.kids.append((self.page, mcid))
        self.parents[self.page].append(element)
        out.append(f"/{element.role} <</MCID {mcid}>> BDC")

    def end_page(self, page: object) -> None:
        """Give the page just finished its parent-tree key and tab order; start the next."""
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = self.page
        page.Tabs = PDFName("S")
        self.page += 1
        self._mcid = 0
        self.parents.append([])

    # -- when saving -----------------------------------------------------------------

    def finish(self, doc: object, title: str) -> None:
        """Add the catalog entries of a tagged PDF; the tree is added by ``append_to``.

        The structure tree root is registered here with reportlab (the catalog points to
        it) and written again, whole, in an update appended to the file: reportlab formats
        each object in Python, which for the tens of thousands of elements of a long
        appendix would cost a third of the print.
        """
        numbers = doc.idToObjectNumberAndVersion
        self._page_numbers = [numbers[f"Page{n}"][0] for n in range(1, self.page + 1)]
        placeholder = _Raw()
        placeholder.body = "<< /Type /StructTreeRoot >>"
        self._root_number = numbers[doc.Reference(placeholder).name][0]
        catalog = doc.Catalog
        catalog.StructTreeRoot = placeholder
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        catalog.Lang = PDFString(LANG)
        catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": "true"})
        metadata = PDFStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            _xmp(title).encode("utf8"),
            filters=[],
        )
        catalog.Metadata = metadata

    def append_to(self, data: bytes) -> bytes:
        """Return reportlab's PDF with the structure tree appended as an incremental update."""
        found = _TRAILER.search(data, data.rfind(b"trailer"))
        if found is None:
            raise ValueError("the PDF's trailer is not as reportlab writes it")
        trailer = found.group(1)
        size = int(_SIZE.search(trailer).group(1))
        start = int(found.group(2))
        elements, parents = self._elements()
        for number, element in enumerate(elements, start=size):
            element.name = f"{number} 0 R"
        parent_number = size + len(elements)
        page_refs = [f"{n} 0 R" for n in self._page_numbers]
        tree_ref = f"{self._root_number} 0 R"
        bodies = [
            _element_body(element, tree_ref if parent is None else parent.name, page_refs)
            for element, parent in zip(elements, parents, strict=True)
        ]
        bodies.append(
            "<< /Nums [ "
            + " ".join(
                f"{n} [ {' '.join((e.alias or e).name for e in self.parents[n])} ]"
                for n in range(self.page)
            )
            + " ] >>"
        )
        # PDF/UA wants each Note to have an ID; the ID tree finds the element by it.
        notes = sorted((_note_id(e), e.name) for e in elements if e.role == "Note")
        ids = f"/IDTree << /Names [ {' '.join(f'({i}) {r}' for i, r in notes)} ] >> "
        root = (
            f"<< /Type /StructTreeRoot /K [ {self.root.name} ] {ids if notes else ''}"
            f"/ParentTree {parent_number} 0 R /ParentTreeNextKey {self.page} >>"
        )
        objects = [(self._root_number, root), *enumerate(bodies, start=size)]
        kept = " ".join(k.decode("latin-1") for k in _KEPT.findall(trailer))
        return _update(data, objects, kept, start)

    def release(self) -> None:
        """Drop the tree once it is written: it is freed now, not by the collector.

        The canvas holding this tagger is in reportlab's reference cycles: left on it, the
        tens of thousands of elements of a long appendix would wait for Python's cycle
        collector, which then spends longer finding them than the print spent making
        them. The tagger records nothing more afterwards.
        """
        self._known.clear()
        self.parents.clear()
        self._stack.clear()
        self.root = Element("Document", None)

    def _elements(self) -> tuple[list[Element], list[Element | None]]:
        """Return the elements in tree order and each one's parent (None for the root).

        A cell of one paragraph holds its text itself.
        """
        elements: list[Element] = []
        parents: list[Element | None] = []
        todo: list[tuple[Element, Element | None]] = [(self.root, None)]
        while todo:
            element, parent = todo.pop()
            kids = element.kids
            if element.role in _CELLS and len(kids) == 1:
                # A cell of one paragraph holds its text itself: a third fewer objects.
                only = kids[0]
                # (A P holds marked content, and a footnote mark's Reference at most.)
                if type(only) is Element and only.role == "P" and not only.attrs:
                    element.kids = kids = only.kids
                    only.alias = element
            elements.append(element)
            parents.append(parent)
            todo += [(k, element) for k in reversed(kids) if type(k) is Element]
        return elements, parents


def _update(data: bytes, objects: list[tuple[int, str]], kept: str, prev: int) -> bytes:
    """Return ``data`` with ``objects`` appended as an incremental update, compressed.

    The objects (numbered in order, bar the first; ASCII text) go in Flate-compressed
    object streams found by a cross-reference stream whose ``/Prev`` is reportlab's
    table: a long appendix's tree is tens of thousands of small dictionaries, more than
    half the file uncompressed. Object streams need PDF 1.5; the header says so (same
    length, so nothing moves). zlib's fastest level: the print is not to be slower.
    """
    if not data.startswith(b"%PDF-1."):
        raise ValueError("the PDF's header is not as reportlab writes it")
    out = [b"%PDF-1.5" + data[8:] if data[7:8] < b"5" else data]
    if not data.endswith(b"\n"):
        out.append(b"\n")
    offset = sum(len(part) for part in out)
    first = objects[1][0]  # the objects after the first are numbered on from here
    number = objects[-1][0] + 1  # the object streams', then the cross-reference stream's
    rows: list[bytes] = []  # the cross-reference stream's, in the order of ``objects``
    streams: list[bytes] = []  # the object streams' rows, after them
    for at in range(0, len(objects), _PER_STREAM):
        chunk = objects[at : at + _PER_STREAM]
        bodies = [body for _, body in chunk]
        places = accumulate([len(body) + 1 for body in bodies], initial=0)
        head = (
            " ".join([f"{obj} {place}" for (obj, _), place in zip(chunk, places, strict=False)])
            + "\n"
        )
        packed = zlib.compress((head + "\n".join(bodies)).encode("latin-1"), 1)
        part = (
            f"{number} 0 obj\n<< /Type /ObjStm /N {len(chunk)} /First {len(head)} "
            f"/Filter /FlateDecode /Length {len(packed)} >>\nstream\n"
        ).encode("latin-1")
        out.append(part + packed + b"\nendstream\nendobj\n")
        stream = b"\x02" + number.to_bytes(4, "big")
        rows += [stream + index for index in _INDICES[: len(chunk)]]
        streams.append(_XREF_ROW.pack(1, offset, 0))
        offset += len(out[-1])
        number += 1
    streams.append(_XREF_ROW.pack(1, offset, 0))  # the cross-reference stream itself
    table = zlib.compress(b"".join(rows + streams), 1)
    out.append(
        (
            f"{number} 0 obj\n<< /Type /XRef /Size {number + 1} "
            f"/Index [ {objects[0][0]} 1 {first} {number + 1 - first} ] /W [ 1 4 2 ] "
            f"{kept} /Prev {prev} /Filter /FlateDecode /Length {len(table)} >>\nstream\n"
        ).encode("latin-1")
        + table
        + f"\nendstream\nendobj\nstartxref\n{offset}\n%%EOF\n".encode("latin-1")
    )
    return b"".join(out)


def _element_body(element: Element, parent: str, page_refs: list[str]) -> str:
    """Return a structure element's dictionary as PDF text; ``parent`` is its parent's reference."""
    kids = element.kids
    if len(kids) == 1 and type(kids[0]) is tuple and not element.attrs and element.role != "Note":
        # Most elements: a cell's or a paragraph's text on one page.
        return f"<< /S /{element.role} /P {parent} /K {kids[0][1]} /Pg {page_refs[kids[0][0]]} >>"
    page = None  # the page of the first marked content: the element's /Pg
    out = []
    for kid in element.kids:
        if type(kid) is not tuple:
            out.append(kid.name)
        elif page is None or kid[0] == page:
            page = kid[0]
            out.append(str(kid[1]))
        else:
            out.append(f"<< /Type /MCR /Pg {page_refs[kid[0]]} /MCID {kid[1]} >>")
    # A single kid is written bare, as the standard allows (and the pdfua checker needs).
    kids_text = out[0] if len(out) == 1 else f"[ {' '.join(out)} ]"
    body = f"<< /S /{element.role} /P {parent} /K {kids_text}"
    if page is not None:
        body += f" /Pg {page_refs[page]}"
    if element.attrs:
        body += f" /A << {element.attrs} >>"
    if element.role == "Note":
        body += f" /ID ({_note_id(element)})"
    return body + " >>"


def _note_id(element: Element) -> str:
    """Return a Note's ID: unique, as made from its object number."""
    return f"note{element.name.split()[0]}"


class _Raw(PDFObject):
    """A PDF object written as text made when the document is saved."""

    def __init__(self) -> None:
        self.body = ""

    def format(self, document: object) -> bytes:
        return self.body.encode("latin-1")


def _xmp(title: str) -> str:
    """Return the XMP packet: the title, the PDF/UA identifier and the language."""
    title = escape(title)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>\n'
        f"<dc:language><rdf:Bag><rdf:li>{LANG}</rdf:li></rdf:Bag></dc:language>\n"
        "<pdfuaid:part>1</pdfuaid:part>\n"
        "</rdf:Description>\n"
        "</rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
