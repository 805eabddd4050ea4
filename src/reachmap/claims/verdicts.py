"""The four verdicts a claim can get (docs/claims.md, "Verdicts")."""

CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
IMPRECISE = "imprecise"
NOT_CHECKABLE = "not_checkable"
VERDICTS = (CONSISTENT, INCONSISTENT, IMPRECISE, NOT_CHECKABLE)
