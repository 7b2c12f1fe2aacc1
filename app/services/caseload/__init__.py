"""The caseload: clients and their conditions, search, the listing, assignments (referent and backup), continuity, counsellors, the timeline."""
