"""Character classes of the scripts a biomedical draft mixes: Han, Greek, Roman numerals.

The same ranges the miner has always used (a test compares them with
``glossary.mining.textforms``), kept here so that every package reading text
agrees on what a Han character or a Greek letter is.
"""

from __future__ import annotations

__all__ = ["CJK", "GREEK", "GREEK_NAMES", "GREEK_TO_LATIN", "ROMAN"]

# Han ideographs (BMP blocks the corpus can hold) and CJK compatibility ideographs.
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
GREEK = "\u0370-\u03ff"
ROMAN = "\u2160-\u217f"  # Ⅱ in angiotensin Ⅱ

GREEK_NAMES = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ", "eta": "η",
    "theta": "θ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "omicron": "ο", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω",
}  # fmt: skip
# A Greek letter read as the Latin letter its name starts with: κ → k, as in NF-kB.
GREEK_TO_LATIN = {letter: name[0] for name, letter in GREEK_NAMES.items()}
