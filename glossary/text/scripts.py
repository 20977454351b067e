"""Character classes of the scripts a biomedical draft mixes: Han, Greek, Roman numerals.

The same ranges the miner has always used (a test compares them with
``glossary.mining.textforms``), kept here so that every package reading text
agrees on what a Han character or a Greek letter is.
"""

from __future__ import annotations

__all__ = ["CJK", "GREEK", "GREEK_LETTERS", "GREEK_NAMES", "GREEK_SPELLED", "GREEK_TO_LATIN", "ROMAN"]

# Han ideographs (BMP blocks the corpus can hold) and CJK compatibility ideographs.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
GREEK = "\u0370-\u03ff"
ROMAN = "\u2160-\u217f"  # Ⅱ in angiotensin Ⅱ

# The one Greek table: each letter's name, the letter, and the Latin letters that spell it out
# in a stored abbreviation key (NF-κB ~ nf-kb; θ → th). Every Greek folding derives from it.
GREEK_LETTERS = (
    ("alpha", "α", "a"), ("beta", "β", "b"), ("gamma", "γ", "g"), ("delta", "δ", "d"),
    ("epsilon", "ε", "e"), ("zeta", "ζ", "z"), ("eta", "η", "h"), ("theta", "θ", "th"),
    ("iota", "ι", "i"), ("kappa", "κ", "k"), ("lambda", "λ", "l"), ("mu", "μ", "m"),
    ("nu", "ν", "n"), ("xi", "ξ", "x"), ("omicron", "ο", "o"), ("pi", "π", "p"),
    ("rho", "ρ", "r"), ("sigma", "σ", "s"), ("tau", "τ", "t"), ("upsilon", "υ", "u"),
    ("phi", "φ", "ph"), ("chi", "χ", "ch"), ("psi", "ψ", "ps"), ("omega", "ω", "o"),
)  # fmt: skip
# Name → letter: kappa → κ.
GREEK_NAMES = {name: letter for name, letter, _ in GREEK_LETTERS}
# A Greek letter read as the Latin letter its name starts with: κ → k, as in NF-kB (variant keys).
GREEK_TO_LATIN = {letter: name[0] for name, letter, _ in GREEK_LETTERS}
# A Greek letter spelled out in Latin letters (stored abbreviation keys): θ → th, and final ς → s.
GREEK_SPELLED = {letter: latin for _, letter, latin in GREEK_LETTERS} | {"ς": "s"}
