"""Web pages: Bahasa Indonesia first, phone first; calls services and selectors only."""
