"""Shared core: configuration helpers, money, domain errors and the audit trail."""
