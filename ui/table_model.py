"""What the plan's flat tables share: the index types, row and column counts, column titles."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


def header_title(
    titles: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> str | None:
    """Return the title of column ``section`` for a view's header, or None for anything else."""
    if (
        orientation == Qt.Orientation.Horizontal
        and role == Qt.ItemDataRole.DisplayRole
        and 0 <= section < len(titles)
    ):
        return titles[section]
    return None


class TableModel(QAbstractTableModel):
    """A flat table: ``titles`` name its columns and :meth:`row_count` says how many rows."""

    titles: tuple[str, ...] = ()

    def row_count(self) -> int:
        """Return the number of rows (each subclass says where they come from)."""
        raise NotImplementedError

    def rowCount(self, parent: Index = ROOT) -> int:
        """Return the number of rows; a flat table has none under a cell."""
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = ROOT) -> int:
        """Return the number of columns."""
        return 0 if parent.isValid() else len(self.titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        """Return the column titles."""
        return header_title(self.titles, section, orientation, role)
