"""Rules: contribution and benefit rules as effective-dated data, and the pure calculators.

Filled by the rules-engine issue; ``jamsos.rules.calc`` holds the pure calculators and must
never import Django (checked by the layering contract in pyproject.toml).
"""
