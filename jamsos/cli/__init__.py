"""The ``jamsos`` command line; calls services and selectors only."""
