"""Korean date formats where Django's own read unnaturally; the rest come from Django."""

from __future__ import annotations

# "2024년 1월 5일 오전 9:05": the morning or afternoon comes before the time.
DATETIME_FORMAT = "Y년 n월 j일 A g:i"
# "2024. 1. 5.", as Korean dates are written in short.
SHORT_DATE_FORMAT = "Y. n. j."
SHORT_DATETIME_FORMAT = "Y. n. j. A g:i"
