"""Reliability: backups (archive, rotation, restore), integrity checks, spreadsheet import, whole-file writes, the start-up check."""
