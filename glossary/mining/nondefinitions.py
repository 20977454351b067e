"""What a bracket holds that is not a term's definition.

Brackets in articles carry much besides translations and abbreviations:
citations, figure and table references, grant numbers, dates, statistics,
measurements and their units, sample and plot labels, ``如…等`` remarks. Each
is recognised here by its shape, so that :mod:`~glossary.mining.extract` reads
only what could define a term.
"""

from __future__ import annotations

import re

from ..text.notation import is_ion

__all__ = ["is_label", "is_not_a_definition"]

NOT_A_DEFINITION = re.compile(
    r"^\s*(?:如|例如|比如|包括|即|又称|详见|见|参见|参考|e\.\s*g\.|i\.\s*e\.|see\b|cf\.)"
    r"|(?:图|表|圖|Fig\.?|Figure|Table)\s*\d"
    r"|[=<>≤≥±%‰<>{}\\$*_`#|@]|https?:|www\.|://|\.(?:org|com|net|edu|gov|cn)\b"  # links, even misspelt
    r"|\bp\s*[<=>]|\bn\s*="
    r"|(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}"
    # author–year citations: (Smith et al., 2019), （张三等，2020）, (Wangetal.,2021), (Brown,1998)
    r"|(?:et\s*al\.?|等)\s*[,，]?\s*(?:19|20)\d\d"
    r"|^[A-Z][A-Za-z\-]+\s*[,，]?\s+(?:19|20)\d\d[a-z]?$"
    r"|[,，;；&]\s*(?:19|20)\d\d[a-z]?$"
    r"|\d{5,}|\bNo\.\s*\d"
    r"|\d\.\d|\b(?:CI|OR|RR|HR|SD|SE|IQR)\s*[\d:=]"  # statistics: HR 0.75, OR 2
    r"|^[\d.,:~\-–]+\s",  # measurements and ranges: 10 mg/kg, 18–65 years
    re.IGNORECASE,
)

# Units of measurement with the prefixes each takes in practice: mg, μmol, ms, kDa, MHz,
# mmHg. Prefixes are limited per unit so that element symbols stay symbols (Mg, Tg…).
_UNIT = (
    "(?:[fpnμµumcdk]?(?:g|L|l|mol|M|cal|IU|U|[Ee]q)|[fpnμµumc]?(?:m|s|Gy|Sv|J|V)|[kMG]?(?:Hz|Pa|Da|W|Ω)"
    "|min|h|d|wk|mo|yr|℃|°C|rpm|ppm|ppb|mmHg|cmH2O|bp|kb)"
    "(?:\\^?[-−]?\\d|[⁻−]?[¹²³])?"  # mg·kg-1, m²
)
UNIT_EXPRESSION = re.compile(f"^(?:[\\d.,~\\-–]+\\s*)?{_UNIT}(?:\\s*[/·•*]\\s*{_UNIT})*$")
# A dose or a measurement anywhere in the bracket: (ondansetron, 10 mg/kg), (vitamin D 400 IU).
MEASUREMENT_INSIDE = re.compile(f"(?<![\\w.])\\d+(?:\\.\\d+)?\\s*{_UNIT}(?:\\s*[/·•]\\s*{_UNIT})*(?![A-Za-z])")
# 55a, 2n: a number with one lower-case letter labels a sample, a plot or a ploidy.
NUMBERED_LABEL = re.compile(r"^\d+[a-z]$")
# S1, T3, C3: one capital and a number, a label unless the term's name carries the number.
LETTER_LABEL = re.compile(r"^([A-Z])(\d{1,3})$")
CHINESE_NUMERALS = dict(zip("123456789", "一二三四五六七八九", strict=True)) | {"10": "十"}


def is_not_a_definition(content: str) -> bool:
    """True when a bracket's content cannot define a term: citations, statistics, units, labels…"""
    content = content.strip()
    return bool(
        NOT_A_DEFINITION.search(content)
        or _is_measurement(content)
        or MEASUREMENT_INSIDE.search(content)
        or NUMBERED_LABEL.match(content)
        or is_ion(content)  # 钙离子（Ca2+）: the ion's formula, not an abbreviation of its name
    )


def _is_measurement(content: str) -> bool:
    """A unit after a number or in a compound, or a lower-case unit alone: ``1Hz``, ``mg/L``, ``ms``.

    A capitalised unit symbol alone is left alone: ``赫兹（Hz）`` and ``戈瑞（Gy）``
    define the unit itself, and a single capital (``N``, ``K``) names an element
    or a label as often as a unit.
    """
    if not UNIT_EXPRESSION.match(content):
        return False
    return bool(re.search(r"\d|[/·•*]", content)) or content[0].islower()


def is_label(abbr: str, left: str, en: str = "") -> bool:
    """``样地（S1）``: a letter and a number that label a sample, not an abbreviation of a name.

    It abbreviates when the name before it carries the same number (``补体4（C4）``,
    ``三碘甲状腺原氨酸（T3）``) or when an English full form is given for it.
    """
    match = LETTER_LABEL.match(abbr)
    if not match or en:
        return False
    number = match.group(2)
    if re.search(f"{number}\\s*$", left):
        return False
    # 三碘甲状腺原氨酸（T3）: the name spells the number in Chinese
    return not (number in CHINESE_NUMERALS and CHINESE_NUMERALS[number] in left[-12:])
