"""Contributions: the monthly PU billing run, member, project and placement bills, payment
notifications and allocation, late fines and wage-correction adjustments, BPU cover and
reminders, and JHT accounts with their yearly return (docs/billing.md, docs/payments.md)."""
