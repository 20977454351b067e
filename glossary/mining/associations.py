"""Word associations counted over many pairs: what a Chinese unit means, learned from co-occurrence.

Used twice by the bilingual lexicon: over CC-CEDICT's compounds, for what a
single character means in them (:func:`~glossary.mining.cedict.derive_character_senses`),
and over approved glossary pairs, for words the dictionary lacks
(:meth:`~glossary.mining.lexicon.Lexicon.learn`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

__all__ = ["Associations"]

# A guess among several left-over words stays below what counts as a match (0.5): it needs a
# second pair to agree (the Dice coefficient) before it explains anything.
GUESS = 0.4


class Associations:
    """Left-over Chinese units and English stems counted over many pairs.

    With ``guesses``, one unit and one stem left over in a pair are each other's
    translation (weight 1.0) and several get a weak share each; across pairs
    the Dice coefficient of their counts decides.
    """

    def __init__(self, guesses: bool) -> None:
        self.guesses = guesses
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.units: Counter[str] = Counter()
        self.stems: Counter[str] = Counter()
        self.share: dict[tuple[str, str], float] = {}

    def add(self, units: Iterable[str], stems: Iterable[str]) -> None:
        """Count one pair's left-over units and stems together."""
        units, stems = list(dict.fromkeys(units)), list(dict.fromkeys(stems))
        if not units or not stems:
            return
        self.units.update(units)
        self.stems.update(stems)
        share = 1.0 if len(units) == len(stems) == 1 else min(GUESS, 1 / max(len(units), len(stems)))
        for unit in units:
            for stem in stems:
                self.pairs[unit, stem] += 1
                if self.guesses and share > self.share.get((unit, stem), 0.0):
                    self.share[unit, stem] = share

    def weights(self, min_count: int, min_dice: float) -> dict[str, dict[str, float]]:
        """Unit → {stem: weight}, the larger of the Dice coefficient and the guess."""
        learned: dict[str, dict[str, float]] = defaultdict(dict)
        for (unit, stem), count in self.pairs.items():
            dice = 2 * count / (self.units[unit] + self.stems[stem])
            weight = max(dice if count >= min_count and dice >= min_dice else 0.0, self.share.get((unit, stem), 0.0))
            if weight > 0:
                learned[unit][stem] = round(weight, 3)
        return dict(learned)
