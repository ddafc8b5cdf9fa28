"""Workbooks built from the reference papers: 003's High Tech Crime phases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

# 003: "The project is scheduled to run from July to November 2010 in four phases".
HIGH_TECH_PHASES = [
    ("Business Processes", dt.date(2010, 7, 1), dt.date(2010, 7, 31), "Complete", ""),
    ("Managerial Collaboration", "Aug 2010", "Sept 2010", "On schedule", "Engage CPS"),
    ("Operational Collaboration", "01/09/2010", "31/10/2010", "Planned", ""),
    ("Identify Additional Partner from Region", "2010-10", "2010-11", "Planned", ""),
]
PRINTED = [
    ("Business Processes", "July 2010", "Complete"),
    ("Managerial Collaboration", "Aug to Sept 2010", "On schedule"),
    ("Operational Collaboration", "Sept to Oct 2010", "Planned"),
    ("Identify Additional Partner from Region", "Oct to Nov 2010", "Planned"),
]


def collaboration_workbook(path: Path, *, refs: bool = True, extra_rows=()) -> Path:
    """Write 003's six projects as one theme, with High Tech Crime's phases."""
    book = openpyxl.Workbook()
    plan = book.active
    plan.title = "Plan"
    plan.append(["Title", "Sub-regional collaboration"])
    plan.append(["Period", "Q1 2010/11"])
    actions = book.create_sheet("Actions")
    actions.append(["Theme", "Ref", "Strategic activity", "Status", "Update"])
    projects = [
        "Professional Standards – Anti Corruption",
        "High Tech Crime",
        "Police National Database",
        "Joint Firearms and Training",
        "Command and Control System",
        "Specialist Driver Training",
    ]
    for letter, name in zip("abcdef", projects, strict=True):
        update = "A Project Manager is now in place." if letter == "b" else "On track."
        actions.append(["1", f"({letter})" if refs else "", name, "Green", update])
    sheet = book.create_sheet("Milestones")
    sheet.append(["Theme", "Ref" if refs else "No", "Phase", "Starts", "Ends", "State", "Note"])
    for phase in HIGH_TECH_PHASES:
        sheet.append(["1", "(b)" if refs else 2, *phase])
    for row in extra_rows:
        sheet.append(list(row))
    book.save(path)
    return path
