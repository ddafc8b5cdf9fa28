"""The plan as a tree for the main window: themes, and under each its actions for one period."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from db import clashes, periods, reads
from db.changes import Changes
from db.document import Document
from db.model import Action, Status, Theme
from ui.plan_filter import PlanFilter, matching_actions
from ui.table_model import header_title

ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("Ref", "Activity", "Status", "Lead")
SHORT = 90

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def short(text: str, length: int = SHORT) -> str:
    """Return the first line of ``text``, clipped to ``length`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def readable_on(colour: str) -> QColor:
    """Return black or white, whichever reads better on ``colour``."""
    c = QColor(colour)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return QColor("black") if luminance > 150 else QColor("white")


class PlanModel(QAbstractItemModel):
    """Themes at the top; a theme's actions are read when it is first expanded.

    Action rows carry their parent theme's row in ``internalId`` (row + 1); theme rows
    carry 0. Only the themes are read when a plan opens, so a large plan opens fast.
    """

    def __init__(self, doc: Document, period_id: str | None = None, parent=None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.period_id = period_id
        self.filter = PlanFilter()
        self._themes: list[Theme] = []
        self._actions: dict[str, list[Action]] = {}
        self._status_ids: dict[str, str | None] = {}
        self._clashed: set[str] = set()
        self._clash_icon: QIcon | None = None
        self._statuses: dict[str, Status] = {}
        self._allowed: set[str] | None = None
        self._snippets: dict[str, str] = {}
        self.capped = False  # the search found more than it shows
        self._theme_word = "Theme"
        self._load()

    # -- loading ---------------------------------------------------------------------------

    def _load(self) -> None:
        self._theme_word = reads.plan(self.doc).theme_word or "Theme"
        self._statuses = {s.id: s for s in reads.statuses(self.doc)}
        # Read with each theme's actions, when it is first expanded (``fetchMore``).
        self._status_ids = {}
        self._clashed = clashes.clashed_actions(self.doc)
        self._order = periods.positions(reads.periods(self.doc))
        self._actions = {}
        themes = reads.themes(self.doc)
        if self.filter.active:
            matches = matching_actions(self.doc, self.period_id, self.filter)
            self._allowed, self._snippets, self.capped = (
                matches.ids,
                matches.snippets,
                matches.capped,
            )
            # A filtered tree is read whole, so themes without a match can be left out.
            for theme in themes:
                self._actions[theme.id] = [
                    a
                    for a in self._in_period(reads.actions(self.doc, theme.id))
                    if a.id in self._allowed
                ]
            themes = [t for t in themes if self._actions[t.id]]
            self._status_ids = self._statuses_of(t.id for t in themes)
        else:
            self._allowed, self._snippets, self.capped = None, {}, False
        self._themes = themes

    def reload(self) -> None:
        """Read the plan again (after an edit that added, removed or moved records)."""
        self.beginResetModel()
        self._load()
        self.endResetModel()

    def set_period(self, period_id: str | None) -> None:
        """Show statuses for another reporting period."""
        self.period_id = period_id
        self.reload()

    def set_filter(self, wanted: PlanFilter) -> None:
        """Show only the actions that pass ``wanted``."""
        self.filter = wanted
        self.reload()

    def canFetchMore(self, parent: Index) -> bool:
        """Return whether a theme's actions are still to be read."""
        return self._is_theme(parent) and self._themes[parent.row()].id not in self._actions

    def fetchMore(self, parent: Index) -> None:
        """Read a theme's actions."""
        if not self.canFetchMore(parent):
            return
        theme = self._themes[parent.row()]
        found = self._in_period(reads.actions(self.doc, theme.id))
        if not found:
            self._actions[theme.id] = []
            return
        self._status_ids.update(self._statuses_of([theme.id]))
        self.beginInsertRows(self.index(parent.row(), 0), 0, len(found) - 1)
        self._actions[theme.id] = found
        self.endInsertRows()

    def _statuses_of(self, theme_ids: Iterable[str]) -> dict[str, str | None]:
        """Read the shown period's status ids of these themes' actions; the tree shows no texts."""
        found: dict[str, str | None] = {}
        if self.period_id:
            for theme_id in theme_ids:
                found.update(reads.update_statuses(self.doc, self.period_id, theme_id))
        return found

    def _in_period(self, actions: list[Action]) -> list[Action]:
        """Leave out the actions closed before the shown period or added after it, as the print does."""
        return [a for a in actions if periods.exists_in(a, self.period_id, self._order)]

    def apply_changes(self, changes: Changes) -> None:
        """Bring the tree up to date after an edit, re-reading only what it touched."""
        tables = changes.tables
        inserted_or_deleted = any(
            r.before is None or r.after is None
            for r in changes.rows
            if r.table in ("actions", "themes", "periods")
        )
        moved = any(
            (r.table in ("actions", "themes") and "position" in r.changed_fields())
            or (
                r.table == "actions"
                and {"theme_id", "added_in", "closed_in"} & set(r.changed_fields())
            )
            for r in changes.rows
        )
        if (
            inserted_or_deleted
            or moved
            or tables & {"themes", "statuses", "plan", "periods"}
            or self.filter.active
        ):
            self.reload()
            return
        self._status_ids = self._statuses_of(t for t, shown in self._actions.items() if shown)
        touched = set(changes.ids)
        if "clashes" in tables:
            clashed = clashes.clashed_actions(self.doc)
            touched |= clashed ^ self._clashed
            self._clashed = clashed
        touched |= {
            str((r.after or r.before or {}).get("action_id"))
            for r in changes.rows
            if r.table in ("updates", "action_leads")
        }
        for t_row, theme in enumerate(self._themes):
            actions = self._actions.get(theme.id)
            if not actions:
                continue
            for a_row, action in enumerate(actions):
                if action.id in touched:
                    fresh = reads.action(self.doc, action.id)
                    if fresh is not None:
                        actions[a_row] = fresh
                    self.dataChanged.emit(
                        self.createIndex(a_row, 0, t_row + 1),
                        self.createIndex(a_row, len(COLUMNS) - 1, t_row + 1),
                    )

    # -- lookups for the window --------------------------------------------------------------

    def _is_theme(self, index: Index) -> bool:
        return index.isValid() and index.internalId() == 0

    def theme_at(self, index: Index) -> Theme | None:
        """Return the theme of a theme row (or of an action row's parent)."""
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == 0 else index.internalId() - 1
        return self._themes[row] if 0 <= row < len(self._themes) else None

    def action_at(self, index: Index) -> Action | None:
        """Return the action of an action row, or None for a theme row."""
        if not index.isValid() or index.internalId() == 0:
            return None
        theme = self._themes[index.internalId() - 1]
        return self._actions.get(theme.id, [])[index.row()]

    def index_of(self, record_id: str) -> QModelIndex:
        """Return the index of a theme or action (reading its theme if need be)."""
        for t_row, theme in enumerate(self._themes):
            if theme.id == record_id:
                return self.index(t_row, 0)
        action = reads.action(self.doc, record_id)
        if action is None:
            return QModelIndex()
        for t_row, theme in enumerate(self._themes):
            if theme.id == action.theme_id:
                self.fetchMore(self.index(t_row, 0))
                for a_row, found in enumerate(self._actions.get(theme.id, [])):
                    if found.id == record_id:
                        return self.index(a_row, 0, self.index(t_row, 0))
        return QModelIndex()

    def status_of(self, action_id: str) -> Status | None:
        """Return an action's status for the shown period, or None."""
        return self._statuses.get(self._status_ids.get(action_id) or "")

    def has_clash(self, action_id: str) -> bool:
        """Return whether an open clash waits on the action, its update or its leads."""
        return action_id in self._clashed

    def _warning(self) -> QIcon:
        if self._clash_icon is None:
            style = QApplication.style()
            self._clash_icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._clash_icon

    # -- Qt's model interface -----------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        """Return the index of a row under ``parent``."""
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() == 0:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        """Return the theme row above an action row."""
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = _ROOT) -> int:
        """Return the number of themes, or of a theme's actions read so far."""
        if not parent.isValid():
            return len(self._themes)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self._actions.get(self._themes[parent.row()].id, []))

    def hasChildren(self, parent: Index = _ROOT) -> bool:
        """Return whether a row has (or may have, before reading) children."""
        if not parent.isValid():
            return bool(self._themes)
        if parent.column() != 0 or parent.internalId() != 0:
            return False
        actions = self._actions.get(self._themes[parent.row()].id)
        return actions is None or bool(actions)

    def columnCount(self, parent: Index = _ROOT) -> int:
        """Return the number of columns."""
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        """Return the column titles."""
        return header_title(COLUMNS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Return what a person may do with a row: select it."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        """Return what a cell shows for ``role``."""
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() == 0:
            theme = self._themes[index.row()]
            if role == ID_ROLE:
                return theme.id
            if role == KIND_ROLE:
                return "theme"
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                if col == 0:
                    return f"{self._theme_word} {theme.number}".strip()
                if col == 1:
                    return short(theme.title)
            if role == Qt.ItemDataRole.ToolTipRole and col == 1:
                return theme.title
            return None
        action = self.action_at(index)
        if action is None:
            return None
        status = self.status_of(action.id)
        if role == ID_ROLE:
            return action.id
        if role == KIND_ROLE:
            return "action"
        clash = col == 0 and action.id in self._clashed
        if clash and role == Qt.ItemDataRole.DecorationRole:
            return self._warning()
        if clash and role == Qt.ItemDataRole.ToolTipRole:
            return "A clash with a merged return is open: Plan ▸ Resolve clashes…"
        if clash and role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{action.ref}, clash open".lstrip(", ")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return action.ref
            if col == 1:
                return short(action.activity)
            if col == 2:
                if role == Qt.ItemDataRole.AccessibleTextRole:
                    return status.label if status else "No status"
                return status.code if status else ""
            if col == 3:
                return ", ".join(action.leads)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 2:
                return f"{status.label}: {status.meaning}" if status else "No status"
            snippet = self._snippets.get(action.id)
            return f"Found: {snippet}" if snippet else action.activity
        if col == 2 and status is not None:
            # The swatch stays visible when the row is selected and the background is not.
            if role == Qt.ItemDataRole.DecorationRole:
                return QColor(status.colour)
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(status.colour))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(readable_on(status.colour))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        return None
