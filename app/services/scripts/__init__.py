"""Guided scripts: definitions loaded from data files, the rule engine, and runs with a client."""
