"""Signing in, first start, locking, break-the-glass access, the privacy box of a client file, the audit trail and retention views."""
