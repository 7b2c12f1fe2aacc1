"""Privacy and security: access rules, the audit trail and its anchors, the vault and its key file, re-keying, consents, GDPR export and erasure, the recovery sheet."""
