"""The plan-wide check every public output starts from: which field, and what is redacted."""

from __future__ import annotations

from dataclasses import replace

import pytest

from db import edits
from db.document import Document
from db.markup import PublicMarkupError, check_public, plan_problems, public_plan
from db.reads import read_plan


def test_a_plan_without_markup_is_published_as_it_is(sample_doc: Document) -> None:
    data = read_plan(sample_doc)
    check_public(data)
    published = public_plan(data)
    assert published.actions == data.actions and published.plan is data.plan


@pytest.mark.parametrize(
    ("table", "field", "where"),
    [
        ("actions", "activity", "The activity of action 7C01 (theme 7)"),
        ("themes", "why_important", "The “why it is important” text of theme 7"),
        ("measures", "target", "The target of measure 1 (theme 7)"),
        ("periods", "heading", "The heading of period Q2 2017/18"),
        ("statuses", "meaning", "The meaning of status Green"),
    ],
)
def test_check_public_names_the_record_and_field(
    sample_doc: Document, table: str, field: str, where: str
) -> None:
    data = read_plan(sample_doc)
    record = {
        "actions": data.actions[0],
        "themes": data.themes[0],
        "measures": data.measures[0],
        "periods": data.periods[-1],
        "statuses": data.statuses[0],
    }[table]
    edits.edit(sample_doc, table, record.id, **{field: "Open [exempt:]closed[/exempt]"})
    data = read_plan(sample_doc)
    with pytest.raises(PublicMarkupError) as refused:
        public_plan(data)
    assert str(refused.value).startswith(f"{where} has exempt markup Scrutineer cannot read")
    assert "no exemption code" in str(refused.value)
    (found,) = plan_problems(data)
    assert found.where == where


def test_public_plan_redacts_every_text_whatever_its_field(sample_doc: Document) -> None:
    data = read_plan(sample_doc)
    hidden = "[exempt: s.40(2)]Sgt Smith[/exempt]"
    action = replace(
        data.actions[0],
        leads=(f"DCC {hidden}",),
        extra={f"Own {hidden}": f"Value {hidden}"},
        plan_ref=hidden,
    )
    data.actions[0] = action
    data.plan = replace(data.plan, extra_fields=(f"Own {hidden}",), marking=hidden)
    published = public_plan(data)
    assert "Sgt Smith" not in repr(published)
    assert published.actions[0].leads == ("DCC [Exempt – s.40(2)]",)
    assert published.actions[0].extra == {"Own [Exempt – s.40(2)]": "Value [Exempt – s.40(2)]"}
    assert public_plan(published) == published  # markers are text: redacting twice is a no-op
