"""The caseload window's parts: one controller per side of the window (contacts and agenda,
referrals, oversight, languages, locking, backups and restore), each given a narrow host."""
