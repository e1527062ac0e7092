"""Canonical JSON, signatures, bundles and verification. No Qt (issue 7)."""
