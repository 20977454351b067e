"""Tokens written like abbreviations that are something else: labels, units, formulas, numerals, strains.

A draft's ``Table S1``, ``Fig. 2A``, ``10 μM``, ``Ca2+``, ``CO2``, ``type II``,
``C57BL/6J`` or ``ApoE-/-`` needs no definition. These rules only keep such
tokens out of "used but never defined"; a token the draft itself defines
(``一氧化氮（NO）``) is still counted as a use of its definition.
"""

from __future__ import annotations

import re

from .scripts import GREEK

__all__ = ["is_ion", "is_notation", "label_spans"]

# Table, figure, panel and equation labels, with lists and ranges: Table S1, Figs. 2A–C, 图1、表S2.
_LABEL_WORD = (
    r"(?:Supplementary\s+|Suppl\.\s*)?(?:Tables?|Tabs?\.|Figures?|Figs?\.|Panels?|Eqs?\.|Equations?|Appendix)"
    r"|附[图表圖]|[图表圖]"
)
_LABEL_ITEM = r"(?:S?\d{1,3}[A-Za-z]{0,2}|S\d{1,3}|[A-Z])(?![A-Za-z0-9])"
_LABEL_JOIN = r"\s*(?:[,，、;；&]|and|to|和|与|及|[-–—~～])\s*"
LABELS = re.compile(f"(?:{_LABEL_WORD})\\s*{_LABEL_ITEM}(?:{_LABEL_JOIN}{_LABEL_ITEM})*", re.IGNORECASE)

# Units and their prefixes, as written after a number or alone: mg/kg, mmol/L, μM, kDa, IU/mL, mmHg.
_UNITS = frozenset(
    "g mg μg ug ng pg kg l L ml mL μl μL ul uL dl dL M mM μM uM nM pM mol mmol μmol nmol pmol "
    "U IU mU kU mIU Hz kHz MHz Pa kPa MPa mmHg cmH2O Da kDa bp kb Kb Mb nt h hr min s ms μs d wk "
    "mo y yr K °C V mV μV W mW J kJ cal kcal Gy cGy Sv mSv Bq T rpm cm mm μm um nm m km ppm "
    "cells cell copies OD CFU cfu PFU".split()
)
_LEADING_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?")
# Element symbols, to tell a formula (CO2, H2O2, NaCl, Ca2+) from an abbreviation (CB1, PCOS).
_ELEMENTS = frozenset(
    "H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br "
    "Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Sm Eu Gd Tb Dy Ho Er "
    "Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra U Pu".split()
)
_FORMULA_PART = re.compile(r"([A-Z][a-z]?)(\d*)")
_ROMAN = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{1,3}|V)$|^X{1,3}$")
# Genotype marks after a gene (ApoE-/-, Lepr+/−) and inbred strains written Name/substrain
# (C57BL/6J, BALB/c, DBA/2, db/db): the part after the slash starts lower-case or with a digit.
_GENOTYPE_AFTER = re.compile(r"^[-−+]/[-−+]")
_STRAIN = re.compile(f"^[A-Za-z0-9{GREEK}]+/(?:[a-z0-9][A-Za-z0-9]*)$")


def label_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names tables, figures, panels and equations (``Table S1``, ``Fig. 2A, B``, ``图3``)."""
    return [match.span() for match in LABELS.finditer(text)]


def _is_unit(token: str) -> bool:
    parts = re.split(r"[/·]", _LEADING_NUMBER.sub("", token))
    return bool(parts) and all(part in _UNITS for part in parts)


def _is_formula(token: str, following: str) -> bool:
    """A chemical formula or ion: two or more element symbols with a count or lower-case symbol, or a charge."""
    parts = _FORMULA_PART.findall(token)
    if "".join(symbol + count for symbol, count in parts) != token or not parts:
        return False
    if not all(symbol in _ELEMENTS for symbol, _ in parts):
        return False
    charged = following[:1] in ("+", "-", "−", "⁺", "⁻") and not following[1:2].isalnum()
    if charged:
        return True  # Ca2+, Na+, Fe3+
    if len(parts) < 2:
        return False  # Th17 is T helper 17, not thorium; Zn alone is handled as an element below
    lower = any(len(symbol) == 2 for symbol, _ in parts)
    counted = any(count for _, count in parts)
    return lower or (counted and any(symbol in ("H", "O") for symbol, _ in parts))


_ION = re.compile(r"^([A-Za-z0-9]+?)\d*\s*[+\-−⁺⁻]$")


def is_ion(text: str) -> bool:
    """An ion written as its formula and charge: ``Ca2+``, ``Na+``, ``Fe3+``, ``NH4+``, ``HCO3−``."""
    match = _ION.match(text.strip().rstrip(".。 "))
    return match is not None and _is_formula(match.group(1), "+")


def is_notation(token: str, following: str = "") -> bool:
    """Whether ``token`` (with the text right after it) is a unit, formula, element, numeral or strain name."""
    if _is_unit(token) or _ROMAN.match(token) or _GENOTYPE_AFTER.match(following) or _STRAIN.match(token):
        return True
    if len(token) == 2 and token in _ELEMENTS and token[1].islower():
        return True  # Zn, Fe, Ca: element symbols
    return _is_formula(token, following)
