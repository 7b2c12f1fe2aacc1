"""Spreadsheet import, crash reports and the file jobs (backup, check, restore) that run beside the window."""
