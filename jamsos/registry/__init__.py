"""Registry: regions, offices, employers (extended by the registry issue)."""
