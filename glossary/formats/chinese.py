"""Traditional → simplified conversion for readers that meet traditional-script terms.

OpenCC loads its dictionaries when a converter is built, so the converter is
made on first use and kept.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """The simplified-script form of a Chinese text (unchanged if already simplified)."""
    return _converter().convert(text)
