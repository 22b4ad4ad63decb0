"""Benefits: claims for JKK, JKM, JHT, JP and JKP and scholarships, decided from the records
by the pure ``rules.calc.claims.decide``; the workflow, documents, pensions and one payout per
claim posted to the ledger (docs/claims.md)."""
