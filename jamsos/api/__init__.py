"""REST API under /api/v1 (django-ninja); calls services and selectors only."""
