"""Reporting: summary tables refreshed month by month, the office dashboards (coverage, money,
employers and projects, BPU retention), the rows behind each figure, compliance flags, the
regional summary and their exports (docs/reports.md)."""
