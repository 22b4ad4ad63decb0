"""Demo data: a small region with users of every role, loaded by ``jamsos demo``."""
