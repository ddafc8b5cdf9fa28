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
from array import array
from itertools import chain, count, islice
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
_CHUNK = 4096  # objects written at a time by ``append_to``
# What the appended trailer repeats: the document's id, info and catalog.
_KEPT = re.compile(rb"/ID\s*\[[^\]]*\]|/Info\s+\d+\s+0\s+R|/Root\s+\d+\s+0\s+R")
ARTIFACT = "/Artifact BMC"
END = "EMC"
_ids = count(1)


def new_id() -> int:
    """Return a key no other drawn element uses: a table, a header, an action's rows."""
    return next(_ids)


class Element:
    """One structure element: its role, attributes, parent and kids in reading order.

    A kid is another ``Element`` or a marked-content reference ``(page index, MCID)``.
    """

    __slots__ = ("alias", "attrs", "kids", "name", "parent", "role")

    def __init__(self, role: str, parent: Element | None, attrs: str = "") -> None:
        self.role = role
        self.parent = parent
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
    """A reportlab Paragraph (markup, or text plain paragraphs hand over) drawn as one element."""

    tag = "P"
    continues = False

    def split(self, avail_width: float, avail_height: float) -> list[Paragraph]:
        """Split as Paragraph does; the part carried on stays the same element."""
        parts = super().split(avail_width, avail_height)
        for k, part in enumerate(parts):
            part.tag = self.tag
            part.continues = self.continues if k == 0 else True
        return parts

    def draw(self) -> None:
        """Draw the paragraph inside its marked content."""
        tagger = of(self.canv)
        if self.tag == "Artifact":
            opened = tagger is not None
            if opened:
                self.canv._code.append(ARTIFACT)
        else:
            code = self.canv._code
            opened = tagger is not None and tagger.mark(code, self.tag, self.continues)
        super().draw()
        if opened:
            self.canv._code.append(END)


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
        self._row = self._cell = False

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
            if self._row:
                tagger.enter((self.key, "table"), "Table")
                tagger.enter((self.key, id(table._cellvalues[args[0]])), "TR")
        elif event == "endRow":
            if self._row:
                tagger.leave()
                tagger.leave()
        elif event == "startCell":
            row, column = args[0], args[1]
            self._cell = row >= self.skip
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
        if self._artifact:
            return False
        parent = self._stack[-1]
        if role is None:
            element = parent
        else:
            last = parent.kids[-1] if parent.kids else None
            if continues and isinstance(last, Element) and last.role == role:
                element = last
            else:
                element = Element(role, parent)
        self._attach(out, element)
        return True

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
        """Return reportlab's PDF with the structure tree appended as an incremental update.

        Called once, as the PDF is finished: it unlinks the tree it has written.
        """
        found = _TRAILER.search(data, data.rfind(b"trailer"))
        if found is None:
            raise ValueError("the PDF's trailer is not as reportlab writes it")
        trailer = found.group(1)
        size = int(_SIZE.search(trailer).group(1))
        start = int(found.group(2))
        elements = self._elements()
        for number, element in enumerate(elements, start=size):
            element.name = f"{number} 0 R"
        parent_number = size + len(elements)
        page_refs = [f"{n} 0 R" for n in self._page_numbers]
        tree_ref = f"{self._root_number} 0 R"
        nums = (
            "<< /Nums [ "
            + " ".join(
                f"{n} [ {' '.join((e.alias or e).name for e in self.parents[n])} ]"
                for n in range(self.page)
            )
            + " ] >>"
        )
        root = (
            f"<< /Type /StructTreeRoot /K [ {self.root.name} ] "
            f"/ParentTree {parent_number} 0 R /ParentTreeNextKey {self.page} >>"
        )
        bodies = chain(
            (_element_body(element, tree_ref, page_refs) for element in elements), [nums]
        )
        objects = len(elements) + 1
        # Written in chunks as it is made, with the offsets in an array: a list of a hundred
        # thousand strings for the tree and as many again for its cross-reference table
        # raised a 2,000-action print's peak memory by ~25 MB.
        out = [data if data.endswith(b"\n") else data + b"\n"]
        offset = len(out[0])
        offsets = array("q")
        numbered = chain([(self._root_number, root)], enumerate(bodies, start=size))
        while chunk := list(islice(numbered, _CHUNK)):
            texts = []
            for number, body in chunk:
                text = f"{number} 0 obj\n{body}\nendobj\n"
                offsets.append(offset)
                offset += len(text)  # latin-1: a byte a character
                texts.append(text)
            out.append("".join(texts).encode("latin-1"))
        xref = [f"xref\n{self._root_number} 1\n{offsets[0]:010d} 00000 n \n{size} {objects}\n"]
        for first in range(1, len(offsets), _CHUNK):
            xref.append("".join(f"{o:010d} 00000 n \n" for o in offsets[first : first + _CHUNK]))
        kept = _KEPT.findall(trailer)
        xref.append(
            "\n".join(
                [
                    "trailer",
                    f"<< {' '.join(k.decode('latin-1') for k in kept)} "
                    f"/Size {size + objects} /Prev {start} >>",
                    "startxref",
                    str(offset),
                    "%%EOF",
                    "",
                ]
            )
        )
        out.append("".join(xref).encode("latin-1"))
        # Written, the tree's parent links only make each element a cycle the collector
        # must find (~110,000 objects at 2,000 actions); cut, it goes with the print.
        for element in elements:
            element.parent = None
        return b"".join(out)

    def _elements(self) -> list[Element]:
        """Return the elements in tree order, a cell of one paragraph holding its text itself."""
        elements: list[Element] = []
        todo = [self.root]
        while todo:
            element = todo.pop()
            kids = element.kids
            if element.role in _CELLS and len(kids) == 1:
                # A cell of one paragraph holds its text itself: a third fewer objects.
                only = kids[0]
                # (A P holds only marked content: ``mark`` makes it and gives it no kids.)
                if type(only) is Element and only.role == "P" and not only.attrs:
                    element.kids = kids = only.kids
                    only.alias = element
            elements.append(element)
            todo += [k for k in reversed(kids) if isinstance(k, Element)]
        return elements


def _element_body(element: Element, tree: str, page_refs: list[str]) -> str:
    """Return a structure element's dictionary as PDF text."""
    parent = element.parent.name if element.parent is not None else tree
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
    return body + " >>"


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
