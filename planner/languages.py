"""The language a person wrote something in, told from its letters (Korean or English).

The interface is in the reader's language; what people write is in theirs. Pages mark the
written parts that differ with `lang` (planner/templatetags/planner.py, `lang_attr`) so
screen readers pronounce them right and Korean line breaking applies (docs/decisions/
content-language.md).
"""

from __future__ import annotations

import re

HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Addresses are written in Latin letters whatever the language around them. Every repeat
# is bounded or stops at a character the next one needs, so a long run of letters costs
# time in proportion to its length, not its square.
LINKS = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]{0,19}://\S+|\([^\s()]*[/.][^\s()]*\)")
# What is read to tell the language: far more than it takes, and a bounded cost.
SAMPLE = 5000

# A Hangul syllable carries what two or three Latin letters do: Korean text keeps far fewer
# than half its letters Hangul once it quotes a few English names.
KOREAN_SHARE = 0.2


def text_language(*texts: str) -> str | None:
    """ "ko" or "en" for what the texts are mostly written in, None when they have no letters."""
    text = LINKS.sub(" ", " ".join(text[:SAMPLE] for text in texts if text))
    hangul = len(HANGUL.findall(text))
    latin = len(LATIN.findall(text))
    if hangul and hangul >= KOREAN_SHARE * (hangul + latin):
        return "ko"
    if latin:
        return "en"
    return None
