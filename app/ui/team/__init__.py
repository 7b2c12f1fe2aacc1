"""Team work screens: the dispatch inbox, the caseload balance, absences and cover."""
