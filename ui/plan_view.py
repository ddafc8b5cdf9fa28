"""The body of the main window: period, filters and search above the plan tree, and the forms."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from db import reads
from db.changes import Changes
from db.model import Period
from ui.action_form import ActionForm
from ui.choice_combo import ChoiceCombo
from ui.plan_filter import PlanFilter
from ui.plan_model import ID_ROLE, KIND_ROLE, PlanModel
from ui.session import Session
from ui.text_editor import key_action
from ui.theme_form import ThemeForm

SEARCH_PAUSE_MS = 200
ALL = "__all__"
NO_STATUS = "__none__"
LEAD_WIDTH = 90  # the Lead column's width for initials; names get up to twice it


class PlanView(QSplitter):
    """The plan tree on the left, the selected theme's or action's form on the right."""

    selection_changed = Signal()
    period_changed = Signal(str)
    pending = Signal()  # a form holds typing not yet committed

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.session = session
        doc = session.doc
        self.periods = reads.periods(doc)  # read again whenever the periods change
        self.model = PlanModel(doc, self.periods[-1].id if self.periods else None, self)

        left = QWidget(self)
        self.period = QComboBox(left)
        self.period.setAccessibleName("Reporting period")
        self.search = QLineEdit(left)
        self.search.setAccessibleName("Search")
        self.search.setPlaceholderText("Search all text (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        key_action(self.search, "In the search: clear it", "Escape", self.search.clear)
        self.status = ChoiceCombo(left)
        self.status.setAccessibleName("Filter by status")
        self.lead = ChoiceCombo(left)
        self.lead.setAccessibleName("Filter by lead officer")
        self.theme = QComboBox(left)
        self.theme.setAccessibleName("Filter by theme")
        self.changed_only = QCheckBox("Chan&ged this period", left)
        self.count = QLabel(left)
        self.count.setAccessibleName("Actions shown")

        self.tree = QTreeView(left)
        self.tree.setAccessibleName("Plan")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 110)
        header.resizeSection(2, 56)
        header.resizeSection(3, LEAD_WIDTH)

        bar = QGridLayout()
        period_label = QLabel("Peri&od:", left)
        period_label.setBuddy(self.period)
        search_label = QLabel("&Search:", left)
        search_label.setBuddy(self.search)
        bar.addWidget(period_label, 0, 0)
        bar.addWidget(self.period, 0, 1)
        bar.addWidget(search_label, 0, 2)
        bar.addWidget(self.search, 0, 3)
        show_label = QLabel("Sho&w:", left)
        show_label.setBuddy(self.status)
        bar.addWidget(show_label, 1, 0)
        filters = QWidget(left)
        row = QGridLayout(filters)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.status, 0, 0)
        row.addWidget(self.lead, 0, 1)
        row.addWidget(self.theme, 0, 2)
        row.addWidget(self.changed_only, 0, 3)
        bar.addWidget(filters, 1, 1, 1, 3)
        bar.setColumnStretch(3, 1)
        column = QVBoxLayout(left)
        column.addLayout(bar)
        column.addWidget(self.tree, 1)
        column.addWidget(self.count)

        self.forms = QStackedWidget(self)
        self.blank = QLabel("Choose a theme or an action in the plan.", self.forms)
        self.blank.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.theme_form = ThemeForm(session, self.forms)
        self.action_form = ActionForm(session, self.forms)
        for page in (self.blank, self.theme_form, self.action_form):
            self.forms.addWidget(page)
        self.theme_form.pending.connect(self.pending)
        self.action_form.pending.connect(self.pending)
        self.addWidget(left)
        self.addWidget(self.forms)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)

        self._fill_choices()
        self._fit_lead_column()
        self.period.currentIndexChanged.connect(self._period_chosen)
        # Searching waits for a pause in the typing: a large plan is not re-read per keystroke.
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self._refilter)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._refilter)
        self.theme.currentIndexChanged.connect(self._refilter)
        for combo in (self.status, self.lead):
            combo.chosen.connect(self._refilter)
        self.changed_only.toggled.connect(self._refilter)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelAboutToBeReset.connect(self._remember)
        self.model.modelReset.connect(self._restore)
        session.changed.connect(self._on_changed)
        session.outside.connect(self.reload_all)
        self._remembered: tuple[str | None, list[str]] = (None, [])
        self.setTabOrder(self.period, self.search)
        self.setTabOrder(self.search, self.status)
        self.setTabOrder(self.status, self.lead)
        self.setTabOrder(self.lead, self.theme)
        self.setTabOrder(self.theme, self.changed_only)
        self.setTabOrder(self.changed_only, self.tree)
        self._count()
        if self.model.rowCount():
            self.tree.expand(self.model.index(0, 0))

    # -- choices -----------------------------------------------------------------------------

    def _fit_lead_column(self) -> None:
        """Make the Lead column wide enough for the plan's longest lead name, within reason.

        Initials fit the narrow default; an office's officers by name ("Claire Robinson")
        would otherwise be cut short on every row.
        """
        names = [self.lead.itemText(i) for i in range(1, self.lead.count())]
        if names:
            needed = max(self.tree.fontMetrics().horizontalAdvance(n) for n in names) + 16
            self.tree.header().resizeSection(3, max(LEAD_WIDTH, min(needed, 2 * LEAD_WIDTH)))

    def _fill_choices(self) -> None:
        doc = self.session.doc
        for combo in (self.period, self.status, self.lead, self.theme):
            combo.blockSignals(True)
        try:
            keep = {combo: combo.currentData() for combo in (self.period, self.theme)}
            self.period.clear()
            self.periods = reads.periods(doc)
            for period in self.periods:
                self.period.addItem(
                    period.label + (" (locked)" if period.locked else ""), period.id
                )
            self.status.fill(
                "All statuses",
                [(f"{s.label} ({s.code})", s.id) for s in reads.statuses(doc)]
                + [("No status", NO_STATUS)],
            )
            self.lead.fill("All leads", [(name, name) for name in reads.leads(doc)])
            word = reads.plan(doc).theme_word or "Theme"
            self.theme.clear()
            self.theme.addItem(f"All {word.lower()}s", ALL)
            for theme in reads.themes(doc):
                self.theme.addItem(f"{word} {theme.number}".strip(), theme.id)
            for combo, data in keep.items():
                found = combo.findData(data if combo is not self.period else self.model.period_id)
                combo.setCurrentIndex(max(found, 0))
        finally:
            for combo in (self.period, self.status, self.lead, self.theme):
                combo.blockSignals(False)

    def current_filter(self) -> PlanFilter:
        """Return the filter the controls describe."""

        def chosen(combo: QComboBox) -> str | None:
            data = combo.currentData()
            return None if data in (ALL, NO_STATUS, None) else str(data)

        statuses = self.status.checked()
        return PlanFilter(
            status_ids=frozenset(str(s) for s in statuses if s != NO_STATUS),
            no_status=NO_STATUS in statuses,
            leads=frozenset(str(n) for n in self.lead.checked()),
            theme_id=chosen(self.theme),
            changed_only=self.changed_only.isChecked(),
            search=self.search.text(),
        )

    def _refilter(self) -> None:
        self._search_timer.stop()
        self.flush()
        self.model.set_filter(self.current_filter())
        if self.model.filter.active:
            self.tree.expandAll()
        self._count()

    def _count(self) -> None:
        if not self.model.filter.active:
            themes = self.model.rowCount()
            self.count.setText(f"{themes} {self._theme_word()}{'s' if themes != 1 else ''}")
            return
        found = sum(
            self.model.rowCount(self.model.index(r, 0)) for r in range(self.model.rowCount())
        )
        text = f"{found} action{'s' if found != 1 else ''} found"
        if self.model.capped:
            text = f"The first {found} actions found; type more words to narrow the search"
        self.count.setText(text)

    def _theme_word(self) -> str:
        return (reads.plan(self.session.doc).theme_word or "Theme").lower()

    def _period_chosen(self) -> None:
        self.flush()
        period_id = self.period.currentData()
        self.model.set_period(period_id)
        self._count()
        self._show_current()
        self.period_changed.emit(period_id or "")

    # -- selection ---------------------------------------------------------------------------

    @property
    def period_id(self) -> str | None:
        """Return the chosen reporting period's id."""
        return self.model.period_id

    def shown_period(self) -> Period | None:
        """Return the chosen reporting period, or None when the plan has none."""
        return next((p for p in self.periods if p.id == self.period_id), None)

    def current_id(self) -> str | None:
        """Return the id of the selected theme or action."""
        return self.tree.currentIndex().data(ID_ROLE)

    def current_kind(self) -> str | None:
        """Return "theme" or "action" for the selected row, None when nothing is selected."""
        return self.tree.currentIndex().data(KIND_ROLE)

    def current_theme_id(self) -> str | None:
        """Return the theme of the selected row."""
        theme = self.model.theme_at(self.tree.currentIndex())
        return theme.id if theme else None

    def select(self, record_id: str) -> bool:
        """Select a theme or action by id, expanding its theme; False when it is not shown."""
        index = self.model.index_of(record_id)
        if not index.isValid():
            return False
        if index.parent().isValid():
            self.tree.expand(index.parent())
        self.tree.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.tree.scrollTo(index)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_current()
        self.selection_changed.emit()

    def _show_current(self) -> None:
        index = self.tree.currentIndex()
        kind = index.data(KIND_ROLE)
        if kind == "action":
            self.theme_form.show_theme(None, None)
            self.action_form.show_action(index.data(ID_ROLE), self.period_id)
            self.forms.setCurrentWidget(self.action_form)
        elif kind == "theme":
            self.action_form.show_action(None, None)
            self.theme_form.show_theme(index.data(ID_ROLE), self.period_id)
            self.forms.setCurrentWidget(self.theme_form)
        else:
            self.action_form.show_action(None, None)
            self.theme_form.show_theme(None, None)
            self.forms.setCurrentWidget(self.blank)

    def flush(self) -> None:
        """Commit what is typed in the forms but not yet committed."""
        self.action_form.flush()
        self.theme_form.flush()

    # -- keeping up with edits -----------------------------------------------------------------

    def _remember(self) -> None:
        expanded = [
            self.model.index(r, 0).data(ID_ROLE)
            for r in range(self.model.rowCount())
            if self.tree.isExpanded(self.model.index(r, 0))
        ]
        self._remembered = (self.current_id(), expanded)

    def _restore(self) -> None:
        current, expanded = self._remembered
        for theme_id in expanded:
            index = self.model.index_of(theme_id)
            if index.isValid():
                self.tree.expand(index)
        if not (current and self.select(current)):
            self._show_current()

    def _on_changed(self, changes: Changes) -> None:
        period_gone = False
        if changes.tables & {"periods", "statuses", "leads", "themes", "plan", "action_leads"}:
            self._fill_choices()
            if self.period.currentData() != self.model.period_id:
                # The shown period was removed (an undone "Add period"): show the one chosen now.
                self.model.period_id = self.period.currentData()
                period_gone = True
        self.model.apply_changes(changes)
        self._count()
        if period_gone:
            self._show_current()
            self.period_changed.emit(self.model.period_id or "")

    def reload_all(self) -> None:
        """Read everything shown again: someone else changed the file."""
        self.flush()
        self.model.doc = self.session.doc
        self._fill_choices()
        if self.period.currentData() != self.model.period_id:
            self.model.period_id = self.period.currentData()
            self.period_changed.emit(self.model.period_id or "")
        self.model.reload()
        self._count()
        self.action_form.refresh()
        self.theme_form.refresh()

    def show_period(self, period_id: str) -> None:
        """Choose a reporting period in the selector (and so in the tree and forms)."""
        self._fill_choices()
        index = self.period.findData(period_id)
        if index >= 0:
            self.period.setCurrentIndex(index)
