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


# 004, Table 1 as printed; the TOTAL row is left empty for Scrutineer to compute.
YEARS = ["2017/18 (£'000)", "2018/19 (£'000)", "2019/20 (£'000)", "2020/21 (£'000)",
         "2021/22 (£'000)"]  # fmt: skip
TABLE_1 = "Table 1: BCH Collaborated Budgets 2017/18 to 2021/22"
BUDGETS = [
    ("Joint Protective Services", [14282, 13817, 14168, 14533, 14909]),
    ("Organisational Support", ["13,352", "13,892", "14,240", "14,852", "15,491"]),
    ("Operational Support", [4227, 4204, 4309, 4436, 4568]),
    ("Other Collaboration", [4493, 4885, 5014, 5146, 5281]),
    ("Collaboration Overheads", [1448, 561, 575, 0, 0]),
]
TOTALS = ["37,802", "37,359", "38,306", "38,967", "40,249"]
SPEND = "Spend and savings"
SPEND_YEARS = ["2016/17 (£'000)", "2017/18 (£'000)", "2018/19 (£'000)", "2019/20 (£'000)",
               "2020/21 (£'000)"]  # fmt: skip


def transformation_sections(total_row: list[object] | None = None) -> list[list[str]]:
    """Return 004's sections 1 to 6 as Report sheet rows, with Table 1 as paragraph 6.12."""
    six = "\n\n".join(f"Paragraph 6.{n} of the paper." for n in range(1, 12))
    six += f"\n\n[table: {TABLE_1}]\n\nSince the BCH collaboration programme was started total savings of £2.816m have been made."
    return [
        [
            "1",
            "PURPOSE",
            "The purpose of this report is to update the Cambridgeshire Police and Crime Panel.",
        ],
        ["2", "RECOMMENDATION", "The Panel is recommended to note the report."],
        ["3", "TERMS OF REFERENCE", "Item 6 – to review or scrutinise decisions made."],
        [
            "4",
            "BACKGROUND",
            "Under the Police Reform and Social Responsibility Act 2011, the Commissioner is required to produce a Plan.\n\nThere are strong mechanisms in place.",
        ],
        [
            "5",
            "TRANSFORMATION CONTEXT",
            "Transformation of public services is key.\n\n- Drive efficiency\n- Work with partners",
        ],
        ["6", "Drive efficiency and effectiveness in policing", six],
        ["", "Public interest", ""],
        ["", "Approval", ""],
    ]


def report_workbook(path: Path, *, total: list[object] | None = None, public: bool = True) -> Path:
    """Write 003's plan with 004's report sections, Table 1 and 001's approvals."""
    collaboration_workbook(path)
    book = openpyxl.load_workbook(path)
    plan = book["Plan"]
    plan.append(
        [
            "Report title",
            "Monitoring the delivery of the Police and Crime Plan – Transformation theme",
        ]
    )
    plan.append(["Suitable for the public domain", "Yes" if public else "No"])
    plan.append(["Reason not public", "" if public else "Names a live investigation"])
    plan.append(["Public confidence considered", "Yes"])
    report = book.create_sheet("Report")
    report.append(["No", "Heading", "Text"])
    for row in transformation_sections():
        report.append(row)
    figures = book.create_sheet("Figures")
    figures.append(["Table", "Row", *YEARS])
    for name, values in BUDGETS:
        figures.append([TABLE_1, name, *values])
    figures.append(["", "TOTAL", *(total or [None] * 5)])
    figures.append(["Table", "Row", *SPEND_YEARS])
    figures.append(
        [SPEND, "Spend on collaboration £m", "21.998", "37.280", "38.284", "38.903", "40.181"]
    )
    approval = book.create_sheet("Approval")
    approval.append(["Role", "Name", "Statement", "Date"])
    approval.append(
        [
            "Chief Officer",
            "DCC Richard Debicki",
            "I confirm this report has been discussed and approved at a formal Chief Officers' meeting.\n\nI confirm this report is suitable for the public domain for the reasons stated in 11.3.",
            dt.date(2021, 5, 24),
        ]
    )
    approval.append(
        ["Police and Crime Commissioner for Gwent", "", "The above request has my approval.", ""]
    )
    book.save(path)
    return path
