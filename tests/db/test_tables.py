"""The one map of which table owns which agrees with the schema and with every reader of it."""

from __future__ import annotations

from db import clashes, edits, merge, public, tables
from db.document import Document


def test_references_are_exactly_the_schemas_foreign_keys(sample_doc: Document) -> None:
    conn = sample_doc.conn
    found: dict[str, dict[str, str]] = {}
    for table in tables.ORDER:
        for key in conn.execute(f"PRAGMA foreign_key_list({table})"):
            found.setdefault(table, {})[key["from"]] = key["table"]
    assert found == tables.REFS


def test_every_parent_comes_before_its_children() -> None:
    position = {t: i for i, t in enumerate(tables.ORDER)}
    for table, columns in tables.REFS.items():
        for parent in columns.values():
            assert position[parent] < position[table], (parent, table)


def test_owners_and_children_come_from_the_references() -> None:
    for table, column in tables.OWNER.items():
        assert (table, column) not in tables.NOT_OWNING
        assert (table, column) in tables.CHILDREN[tables.REFS[table][column]]
    assert dict(tables.CHILDREN["actions"]) == {
        "action_leads": "action_id", "updates": "action_id", "milestones": "action_id",
    }  # fmt: skip
    assert tables.CHILDREN["periods"] == (
        ("updates", "period_id"), ("performance", "period_id"), ("reports", "period_id"),
    )  # fmt: skip
    assert "statuses" not in tables.CHILDREN  # an update keeps its text when its status goes


def test_deletion_merge_clashes_and_public_copy_read_the_one_map() -> None:
    assert edits.CHILDREN is tables.CHILDREN
    assert clashes.REFS is tables.REFS
    assert merge.REFS is tables.REFS and merge.OWNER is tables.OWNER
    assert tuple(t for t in tables.ORDER if t not in ("plan", "exemptions")) == public.PUBLISHED


def test_natural_keys_are_the_schemas_unique_constraints(sample_doc: Document) -> None:
    conn = sample_doc.conn
    unique: dict[str, tuple[str, ...]] = {}
    for table in tables.ORDER:
        for index in conn.execute(f"PRAGMA index_list({table})"):
            if index["unique"] and index["origin"] == "u":
                columns = tuple(
                    r["name"] for r in conn.execute(f"PRAGMA index_info({index['name']})")
                )
                unique[table] = columns
    assert unique == tables.NATURAL
