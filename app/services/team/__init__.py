"""The team server: accounts as PostgreSQL roles, the server set up, colleagues\x27 changes seen live."""
