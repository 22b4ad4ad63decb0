"""Benefits: claims for JKK, JKM, JHT, JP and JKP (later issue)."""
