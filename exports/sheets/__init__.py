"""Spreadsheets: the template, importing a plan, exporting one, and lead officers' return sheets."""
