"""Everything that leaves or enters the app as another format: print layout, PDF, Word, spreadsheets."""
