"""Accounts: users, roles, API tokens."""
