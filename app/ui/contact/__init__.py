"""Contacts and appointments: the agenda, appointment and contact dialogs, the permanence desk, the reach monitor, the contact policy settings."""
