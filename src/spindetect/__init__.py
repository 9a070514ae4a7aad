"""spindetect: find spun and machine-rewritten articles.

Align an article with its reference text, extract every word and phrase swap, and score
each for how unnatural it is:

>>> import spindetect
>>> report = spindetect.compare("They paid a nice of 500 euros.", "They paid a fine of 500 euros.")
>>> report.swaps[0].article_text, report.swaps[0].reference_text
('nice', 'fine')
"""

from .index import Candidate, ReferenceIndex
from .pipeline import compare, compare_many, iter_compare, score_many
from .report import RecurringSwap, Report, Signals, Swap, recurring_swaps
from .scan import ScanResult, scan
from .screening import Finding, Screening, iter_screen, screen, screen_many
from .score import DEFAULT_THRESHOLD, score_substitution

__all__ = [
    "Candidate",
    "DEFAULT_THRESHOLD",
    "Finding",
    "RecurringSwap",
    "ReferenceIndex",
    "Report",
    "ScanResult",
    "Screening",
    "Signals",
    "Swap",
    "compare",
    "compare_many",
    "iter_compare",
    "iter_screen",
    "recurring_swaps",
    "scan",
    "score_many",
    "score_substitution",
    "screen",
    "screen_many",
]

__version__ = "0.1.0"
