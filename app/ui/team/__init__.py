"""Team work screens: cover for an absence, the notices a counsellor gets, the dispatch inbox
and the caseload balance."""
