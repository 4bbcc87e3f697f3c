"""The match stage: which keyword rules an article matches, and where.

    matcher = Matcher(config.rules)               # compiles once; reuse it
    hits = matcher.match({"title": t, "lead": l, "body": b}, section="tin-chinh")
    names = matcher.matching_rules({"title": t, "lead": l, "body": b})

Matching is case-insensitive and blind to NFC/NFD, tone-mark placement (``hòa`` = ``hoà``),
nbsp, line breaks and format characters; ``accents = "fold"`` also ignores marks and ``đ``.
A keyword matches whole syllables only, and not where it straddles two Vietnamese words
("nhân dân | vận dụng" holds no "dân vận"), while it still matches inside a longer word ("Ban
Dân vận", "Dân vận khéo"). How that is decided: ``monitor.match.boundary``; the contexts it
trusts over the segmenter: ``monitor.match.contexts``.

Modules, in the order the data flows: ``fieldtext`` (fields and paragraphs, forms, syllables,
offsets back to the text given), ``terms`` (keywords and the automaton that finds them),
``sentences``, ``segment`` (the ``Segmenter`` seam, underthesea by default), ``contexts``,
``boundary``, ``matcher``. Over the archive: ``candidates`` (the articles worth reading,
through the FTS index), ``apply`` (the match step, back-tests), ``rules_diff`` (what a change
of rules changes).
"""

from monitor.match.matcher import FIELDS, Hit, Matcher
from monitor.match.segment import Segmenter, UndertheseaSegmenter

__all__ = ["FIELDS", "Hit", "Matcher", "Segmenter", "UndertheseaSegmenter"]
