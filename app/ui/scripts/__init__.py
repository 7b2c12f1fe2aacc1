"""Guided conversations: the wizard, its questions and result, a client's runs, the outcome statistics."""
