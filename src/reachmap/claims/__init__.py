"""The claim checker: verdicts on the checkable numbers of an article.

>>> from reachmap.claims import check_text
>>> check_text("It is 800 miles (1,500 km) away.").claims[0].verdict
'inconsistent'
"""

from __future__ import annotations

from reachmap.claims.checker import CheckResult, check_text
from reachmap.claims.model import Claim, Context

__all__ = ["CheckResult", "Claim", "Context", "check_text"]
