"""When two English stems say the same word: loose matching for the bilingual lexicon.

One dictionary entry should cover many spellings of the English, so stems
(see :mod:`.stemming`) are compared loosely:

* equal stems; or one the other plus a derivational ending, five letters or
  more shared (lymph/lymphoid, transduce/transducer, but not organ/organize
  nor later/lateral); or one root under two Latin endings (alveolus/alveolar);
* Latin and Greek medical adjectives and combining forms read as plain words
  (pulmonary → lung, hypoxia → under + oxygen, basolateral → base + side,
  caspase → enzyme): :data:`SENSE_GROUPS`, a small table of general linguistic
  knowledge.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .stemming import respell
from .stemming import stem as stem_word

__all__ = [
    "DERIVATIONAL_TAILS",
    "LATIN_ENDINGS",
    "MIN_PREFIX",
    "PROTEIN_ENDINGS",
    "SENSE_GROUPS",
    "Senses",
    "roots",
]

MIN_PREFIX = 5  # letters two English forms must share before a prefix counts as the same word

# Two forms with one root and different Latin endings are one word (alveolus/alveolar) …
LATIN_ENDINGS = frozenset("ous ary ari oid ia al ar ic us um is on ae a i o e y".split())
# … and so is a form and its derivative (lymph/lymphoid, transduce/transduction), but not a
# form and its compounds or verbs (organ/organize, plant/plantar, later/lateral).
DERIVATIONAL_TAILS = frozenset(
    "t at ate ator atori ori or er oid ic al ari ous ia ial ian an in ine iv ive ion ism ist iti ity y i e um us ac "
    "ical ment k a is ul it o".split()
)

# General linguistic knowledge: plain English words (first on a line) and the Latin or
# Greek adjectives that mean the same; "x-" is a combining form before a word, "-x" one
# after (written as the stemmer leaves it), "!x" a stem that only looks built from them.
SENSE_GROUPS = """
lung: pulmonary pneumo- pulmo- pneumon-
liver: hepatic hepat hepato-
kidney: renal nephric reno- nephro-
heart: cardiac cardio- cardi-
stomach: gastric gastro-
intestine: intestinal gut bowel enteric entero-
nerve: neural nervous neuro- neur-
skin: cutaneous dermal derma dermato- -derm
mouth: oral stomato-
eye: ocular ophthalmic oculo- ophthalmo-
brain: cerebral cerebro- encephalo-
vessel: vascular vaso- angio-
bone: osseous osteo-
muscle: muscular myo-
blood: hematic hemato- hemo- hema- -emia
tissue: histo-
uterus: uterine -metrium -metri
menstruation: menstrual meno-
bile: biliary chole- bili-
bladder: vesical cysto-
milk: lacto- lact-
bacteria: bacterial bacterium bacteri- bacill- -bacterium -bacter -bacillus -coccus -cocci
enzyme: -as !releas !increas !decreas !diseas !pleas !leas !creas !ceas !purchas
front: anterior antero- fore-
before: prior pre- ante-
back: posterior dorsal postero- dorso-
middle: medial median meso- mid-
side: lateral latero-
upper: superior supra-
lower: inferior infra-
outside: external extra- exo- ecto-
inside: internal inner intra- endo-
between: inter-
cell: cellular cyto- -cyt
oxygen: oxy- -oxia -oxic
under: below beneath hypo- hyp- sub-
over: above hyper- super-
across: trans-
around: peri-
against: anti-
many: poly- multi-
small: micro-
large: macro-
single: mono- uni-
same: homo- iso-
different: hetero- allo-
new: neo-
false: pseudo-
self: auto-
half: hemi- semi-
water: hydro-
fat: adipose lipo- adipo-
sugar: glyco- gluco-
white: leuko- leuco- leuk-
red: erythro-
fibre: fibro-
gland: glandular adeno-
lymph: lymphatic lympho-
base: basal baso-
nucleus: nuclear nucleo-
vein: venous veno-
tumour: onco- -oma
disease: patho- -pathi
inflammation: inflammatory -itis -iti
form: formation -genesi
body: -som
"""


# the -in of protein and hormone names: inter|leuk|in, ur|ok|in
PROTEIN_ENDINGS = frozenset(("in",))


class _Tables(NamedTuple):
    """:data:`SENSE_GROUPS` read: whole words, prefixes and suffixes → meaning; stems built from none."""

    words: dict[str, str]
    prefixes: dict[str, str]
    suffixes: dict[str, str]
    exceptions: frozenset[str]
    sizes: tuple[int, ...]  # lengths of the combining forms, longest first


def _parse_groups(text: str) -> _Tables:
    words: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    suffixes: dict[str, str] = {}
    exceptions: set[str] = set()
    for line in text.strip().splitlines():
        plain, _, forms = line.partition(":")
        meaning = stem_word(plain)
        words[meaning] = meaning
        for form in forms.split():
            if form.startswith("!"):
                exceptions.add(form[1:])
            elif form.endswith("-"):
                prefixes[respell(form[:-1])] = meaning
            elif form.startswith("-"):
                suffixes[form[1:]] = meaning
            else:
                words[stem_word(form)] = meaning
    sizes = sorted({len(form) for form in (*prefixes, *suffixes)}, reverse=True)
    return _Tables(words, prefixes, suffixes, frozenset(exceptions), tuple(sizes))


@lru_cache(maxsize=1)
def _sense_tables() -> _Tables:
    return _parse_groups(SENSE_GROUPS)


@lru_cache(maxsize=200_000)
def roots(form: str) -> frozenset[str]:
    """The stem less each Latin ending it has: mitochondria → mitochondr, mitochondri."""
    return frozenset(
        form[:-size] for size in range(1, min(4, len(form) - MIN_PREFIX + 1)) if form[-size:] in LATIN_ENDINGS
    )


@lru_cache(maxsize=200_000)
def _bases(form: str) -> tuple[str, ...]:
    """What ``form`` derives from: itself less a derivational tail, at least five letters left."""
    if form.endswith("eral"):
        return ()  # lateral is no derivative of later, nor general of gener(ate)
    return tuple(
        form[:-size] for size in range(1, min(6, len(form) - MIN_PREFIX + 1)) if form[-size:] in DERIVATIONAL_TAILS
    )


class _Index(NamedTuple):
    """The meanings of a list of stems, ready to compare with one English stem."""

    full: frozenset[str]
    bases: frozenset[str]
    roots: frozenset[str]


class Senses:
    """Meanings of English stems (spelling, Latin adjectives, combining forms), memoised.

    ``vocabulary``: every stem the dictionary's glosses use. Shared by a lexicon
    and the lexicons learned from it.
    """

    def __init__(self, vocabulary: frozenset[str]) -> None:
        self.vocabulary = vocabulary
        self.of = lru_cache(maxsize=200_000)(self._senses)
        self.index = lru_cache(maxsize=200_000)(self._index)

    def _senses(self, stem: str) -> frozenset[str]:
        words = _sense_tables().words
        found = {stem}
        self._decompose(stem, found, depth=3)
        found.update(words[form] for form in list(found) if form in words)
        return frozenset(found)

    def _decompose(self, stem: str, found: set[str], depth: int) -> None:
        """Meanings of the combining forms a stem is built from: basolateral → base, lateral."""
        tables = _sense_tables()
        prefixes, suffixes = tables.prefixes, tables.suffixes
        if stem in prefixes:
            found.add(prefixes[stem])
        if depth == 0 or stem in tables.exceptions:
            return
        # the longest form only (hydroxy-, not hydro-); a short prefix (sub-, mid-) only before a
        # known word: not in substance
        parts = [
            next(
                (
                    (stem[size:], prefixes[stem[:size]])
                    for size in tables.sizes
                    if stem[:size] in prefixes and len(stem) > size and (size >= 4 or stem[size:] in self.vocabulary)
                ),
                None,
            ),
            next(
                (
                    (stem[:-size], suffixes[stem[-size:]])
                    for size in tables.sizes
                    if len(stem) - size >= 3 and stem[-size:] in suffixes
                ),
                None,
            ),
        ]
        for part in parts:
            if part is None or (len(part[0]) < 3 and part[0] not in LATIN_ENDINGS and part[0] not in PROTEIN_ENDINGS):
                continue  # extra|ct is no word built from extra-; bacill|us is
            rest, meaning = part
            found.add(meaning)
            if len(rest) >= 4:
                found.add(rest)
            self._decompose(rest, found, depth - 1)

    def _index(self, stems: str) -> _Index:
        full = frozenset(sense for stem in stems.split() for sense in self.of(stem))
        return _Index(
            full,
            frozenset(base for sense in full for base in _bases(sense)),
            frozenset(root for sense in full for root in roots(sense)),
        )

    def explains(self, stems: str, english: str) -> bool:
        """Whether some stem of ``stems`` (space-separated) loosely equals the English stem."""
        index = self.index(stems)
        for sense in self.of(english):
            if sense in index.full or sense in index.bases:
                return True
            if any(base in index.full for base in _bases(sense)) or not index.roots.isdisjoint(roots(sense)):
                return True
        return False
