"""Simplified and traditional Chinese: the one place that converts between the scripts.

OpenCC reads its dictionaries when a converter is built, which takes a moment
and a few megabytes, so there is one converter per OpenCC configuration for
the whole process, built on first use (never at import) under a lock, so that
threads serving requests at the same time still share one. A converter only
reads its tables once built, so the threads then share it freely.

Text without a Han character (``has_cjk``, ranges from :mod:`.scripts`) is
returned as it is, without asking OpenCC.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

from .scripts import CJK

__all__ = [
    "CJK_RE",
    "SIMPLIFIED",
    "TRADITIONAL",
    "clear_conversion_cache",
    "converter",
    "has_cjk",
    "is_cjk",
    "to_simplified",
    "to_traditional",
]

CJK_RE = re.compile(f"[{CJK}]")
# The OpenCC configurations in use: any script to simplified; simplified to traditional with
# Taiwan phrasing (what a reader of traditional-script biomedical writing expects).
SIMPLIFIED = "t2s"
TRADITIONAL = "s2twp"
# Terms and words repeat (the miner converts the same words many times); whole documents do not.
_CACHED_LENGTH = 64

_converters: dict[str, Any] = {}
_lock = threading.Lock()


def converter(config: str) -> Any:
    """The process's one OpenCC converter for ``config`` (``t2s``, ``s2twp``…), built on first use."""
    found = _converters.get(config)
    if found is None:
        with _lock:
            found = _converters.get(config)
            if found is None:
                import opencc  # lazily: loading the tables takes a moment

                found = _converters[config] = opencc.OpenCC(config)
    return found


def has_cjk(text: str) -> bool:
    """True when the text holds at least one Han character."""
    return bool(CJK_RE.search(text or ""))


def is_cjk(char: str) -> bool:
    """True when the text starts with a Han character (for one character: it is one)."""
    return bool(CJK_RE.match(char))


@lru_cache(maxsize=65536)
def _convert_cached(config: str, text: str) -> str:
    return str(converter(config).convert(text))


def _convert(config: str, text: str) -> str:
    if not has_cjk(text):
        return text
    if len(text) <= _CACHED_LENGTH:
        return _convert_cached(config, text)
    return str(converter(config).convert(text))


def clear_conversion_cache() -> None:
    """Forget the short texts converted so far (benchmarks measure conversion from cold)."""
    _convert_cached.cache_clear()


def to_simplified(text: str) -> str:
    """Traditional → simplified characters (OpenCC ``t2s``); text without Han characters unchanged."""
    return _convert(SIMPLIFIED, text)


def to_traditional(text: str) -> str:
    """Simplified → traditional with Taiwan phrasing (OpenCC ``s2twp``); text without Han characters unchanged."""
    return _convert(TRADITIONAL, text)
