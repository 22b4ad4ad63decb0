"""Reporting: coverage dashboards and regional summaries (later issue)."""
