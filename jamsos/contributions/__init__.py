"""Contributions: monthly bills, payments, the ledger and JHT accounts (later issue)."""
