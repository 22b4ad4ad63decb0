"""Pure calculators: no Django, no I/O; the date a rule applies to is always an argument."""
