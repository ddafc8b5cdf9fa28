"""Write docs/examples/template.xlsx: the sample plan exported in the spreadsheet template.

Run from the project folder: ``python docs/examples/make_template.py``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from db.sample import write_sample
from exports.exporting import export_file

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Export the sample plan to ``template.xlsx`` beside this script."""
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "sample.scrutiny"
        write_sample(plan).close()
        print(export_file(plan, HERE / "template.xlsx"))


if __name__ == "__main__":
    main()
