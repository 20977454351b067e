"""LaTeX fragments read as prose: the inline mathematics PDF converters write.

Converters such as MinerU write anything that looked like mathematics as an
inline LaTeX fragment with a space between every token (``$L$ -amino``,
``$\\mathrm { C D 4 } ^ { + }$``). :func:`read_latex_fragments` replaces each
fragment by the text a reader sees (``L-amino``, ``CD4+``) through a
:class:`~glossary.mining.offsets.Rewriter`, so that evidence still points into
the text as decoded; :func:`read_latex` reads one fragment.
"""

from __future__ import annotations

import re

from .offsets import OffsetMap, Rewriter
from .textforms import CJK, GREEK_NAMES

__all__ = ["read_latex", "read_latex_fragments"]

HYPHENS = "-\u2010\u2011\u2013"  # the dashes that join a word to a fragment: NF- $\cdot\kappa B$

# --- LaTeX reader -------------------------------------------------------------

# Converters write a small part of LaTeX inline; this reader knows that part and
# gives up (the fragment stays as written) on anything else. pylatexenc reads
# more, but its latex2text writes \mathbf{GPx} in Unicode math letters (𝐆𝐏𝐱),
# passes an unknown macro over instead of failing, and would still need a pass
# for the spaces converters put between tokens and for \cdot misread for "-".
GREEK_COMMANDS = {
    **GREEK_NAMES,
    **{name.capitalize(): letter.upper() for name, letter in GREEK_NAMES.items()},
    "varepsilon": "ε",
    "vartheta": "ϑ",
    "varkappa": "ϰ",
    "varphi": "φ",
    "varpi": "ϖ",
    "varrho": "ϱ",
    "varsigma": "ς",
}
LATEX_SYMBOLS = {
    "sim": "~", "approx": "≈", "simeq": "≃", "pm": "±", "mp": "∓", "times": "×", "div": "÷",
    "prime": "′", "circ": "°", "degree": "°", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "ne": "≠", "ll": "≪", "gg": "≫", "equiv": "≡", "propto": "∝", "infty": "∞",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
    "rightleftharpoons": "⇌", "uparrow": "↑", "downarrow": "↓", "cdots": "…", "ldots": "…",
    "dots": "…", "bullet": "•", "ast": "*", "star": "*", "langle": "⟨", "rangle": "⟩",
    "vert": "|", "lvert": "|", "rvert": "|", "mid": "|", "Vert": "‖", "lbrace": "{", "rbrace": "}",
    "colon": ":", "partial": "∂", "nabla": "∇", "ell": "ℓ", "AA": "Å", "textdegree": "°", "quad": " ", "qquad": " ",
}  # fmt: skip
LATEX_ESCAPES = {
    "%": "%", "&": "&", "#": "#", "$": "$", "_": "_", "{": "{", "}": "}", "|": "‖",
    " ": " ", ",": " ", ";": " ", ":": " ", ">": " ", "\\": " ", "!": "",
}  # fmt: skip
# Commands that only change the look of what follows or encloses: the text stays.
STYLE_SWITCHES = frozenset(
    "bf rm it sf tt cal em bfseries itshape upshape displaystyle textstyle scriptstyle scriptscriptstyle "
    "boldmath unboldmath big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr limits nolimits mathstrut".split()
)
FONT_COMMANDS = frozenset(
    "mathrm mathbf mathit mathsf mathtt mathcal mathscr mathbb mathfrak mathnormal boldsymbol bm pmb "
    "operatorname".split()
)
TEXT_COMMANDS = frozenset("text textrm textbf textit textsf texttt textnormal textup emph mbox hbox".split())
LATEX_TOKEN = re.compile(r"\\([A-Za-z]+)|\\(.)|(\s+)|(.)", re.DOTALL)
COMMAND, ESCAPE, SPACE, CHARACTER = 1, 2, 3, 4
CDOT = "\\cdot"  # resolved once its neighbours are known; no reading contains a backslash
LETTER = "A-Za-z\u0370-\u03ff"
# A fragment that is only a stray sign and a Greek letter (or the Latin a that OCR reads for a bold alpha):
# the sign is the converter's reading of the hyphen or space before it (NF- $\sigma_{\kappa B}$, TNF $\nabla\cdot a$).
MISREAD_BEFORE_GREEK = re.compile("^[σ∇]\\s*·?\\s*([\u03b1-\u03c9][A-Za-z0-9]{0,2}|a)$")
SPACE_BETWEEN_SINGLE_LETTERS = re.compile(f"(?<=(?<![{LETTER}])[{LETTER}]) (?=[{LETTER}](?![{LETTER}]))")


class _Unreadable(Exception):
    """The fragment uses markup the reader does not know."""


class _LatexReader:
    """Recursive reader over the tokens of one fragment; yields text pieces."""

    def __init__(self, fragment: str) -> None:
        self.tokens = [
            (match.lastindex or 0, match.group(match.lastindex or 0)) for match in LATEX_TOKEN.finditer(fragment)
        ]
        self.position = 0

    def sequence(self, *, text_mode: bool, in_group: bool) -> list[str]:
        pieces: list[str] = []
        while self.position < len(self.tokens):
            if self.tokens[self.position] == (CHARACTER, "}"):
                if not in_group:
                    raise _Unreadable
                self.position += 1
                return pieces
            pieces += self.item(text_mode=text_mode)
        if in_group:
            raise _Unreadable
        return pieces

    def item(self, *, text_mode: bool) -> list[str]:
        kind, value = self.tokens[self.position]
        self.position += 1
        if kind == SPACE:  # math mode ignores spaces: the converters' padding goes
            return [" "] if text_mode else []
        if kind == ESCAPE:
            if value not in LATEX_ESCAPES:
                raise _Unreadable
            return [LATEX_ESCAPES[value]]
        if kind == COMMAND:
            self.skip_spaces()  # the spaces after a command name only end the name
            return self.command(value, text_mode=text_mode)
        if value == "{":
            return self.sequence(text_mode=text_mode, in_group=True)
        if value in "^_":  # CD4^{+} is written CD4+ in prose
            return self.argument(text_mode=text_mode)
        if value == "~":
            return [" "]
        if value in "&#%":
            raise _Unreadable
        return [value]

    def argument(self, *, text_mode: bool) -> list[str]:
        self.skip_spaces()
        if self.position >= len(self.tokens) or self.tokens[self.position] == (CHARACTER, "}"):
            raise _Unreadable
        return self.item(text_mode=text_mode)

    def skip_spaces(self) -> None:
        while self.position < len(self.tokens) and self.tokens[self.position][0] == SPACE:
            self.position += 1

    def command(self, name: str, *, text_mode: bool) -> list[str]:
        if name in GREEK_COMMANDS:
            return [GREEK_COMMANDS[name]]
        if name in LATEX_SYMBOLS:
            return [LATEX_SYMBOLS[name]]
        if name == "cdot":
            return [CDOT]
        if name in ("left", "right"):  # a delimiter follows; "." means none
            if self.position < len(self.tokens) and self.tokens[self.position] == (CHARACTER, "."):
                self.position += 1
            return []
        if name in STYLE_SWITCHES:
            return []
        if name in FONT_COMMANDS:
            pieces = self.argument(text_mode=text_mode)
            # OCR reads a bold alpha as a Fraktur a: that is what \mathfrak{a} stands for in these texts.
            return ["α"] if name == "mathfrak" and "".join(pieces).strip() == "a" else pieces
        if name in TEXT_COMMANDS:
            return self.argument(text_mode=True)
        if name == "frac":
            numerator = self.argument(text_mode=text_mode)
            return [*numerator, "/", *self.argument(text_mode=text_mode)]
        if name == "sqrt":
            return ["√", *self.argument(text_mode=text_mode)]
        raise _Unreadable


def read_latex(fragment: str, *, follows_hyphen: bool = False) -> str | None:
    """The text of a LaTeX fragment as prose writes it, or ``None`` if it uses unknown markup.

    ``\\mathrm { I I }`` → ``II``, ``\\beta`` → ``β``, ``_ { 3 }`` → ``3``,
    ``^ { 2 + }`` → ``2+``. A ``\\cdot`` between a word and a Greek letter is
    the hyphen the converter misread (``NF-κB``); ``follows_hyphen`` says the
    text before the fragment already ends with that hyphen.
    """
    reader = _LatexReader(fragment)
    try:
        pieces = reader.sequence(text_mode=False, in_group=False)
    except _Unreadable:
        return None
    rendered: list[str] = []
    for index, piece in enumerate(pieces):
        rendered.append(_read_cdot(rendered, pieces[index + 1 :], follows_hyphen) if piece == CDOT else piece)
    text = SPACE_BETWEEN_SINGLE_LETTERS.sub("", " ".join("".join(rendered).split()))
    misread = MISREAD_BEFORE_GREEK.match(text)
    if misread:  # OCR's reading of the hyphen before a Greek letter: NF-σκB, TNF-∇·a
        text = "α" if misread.group(1) == "a" else misread.group(1)
    return text


def _read_cdot(before: list[str], after: list[str], follows_hyphen: bool) -> str:
    following = next((piece for piece in after if piece.strip()), "")
    if not following or not "\u0370" <= following[0] <= "\u03ff":
        return "·"  # a real centred dot: O2·−
    preceding = "".join(before).rstrip()
    if not preceding:
        return "" if follows_hyphen else "-"
    if preceding[-1] in HYPHENS:
        return ""
    return "-" if preceding[-1].isalnum() else "·"


# --- LaTeX fragments --------------------------------------------------------

LATEX_FRAGMENT = re.compile(r"(?<!\\)(?:\$\$(?P<display>[^$]{1,4000}?)\$\$|\$(?P<inline>[^$\n]{1,400}?)\$(?!\d))")
LATEX_SIGNS = re.compile(r"[\\{}^_~]")
# Where a fragment meets these, the space the converter put around it goes.
CJK_PUNCTUATION = "，。、；：！？（）“”‘’《》〈〉【】「」『』—…％"
GLUE_RIGHT_OF = re.compile(f"[{CJK}{re.escape(CJK_PUNCTUATION + '([{' + HYPHENS)}]")
GLUE_LEFT_OF = re.compile(f"[{CJK}{re.escape(CJK_PUNCTUATION + ',.;:!?)]}')}]")
WORD_END = re.compile(r"[\w\u0370-\u03ff+′'%]$")


def read_latex_fragments(text: str) -> tuple[str, OffsetMap]:
    """Replace each ``$…$`` (and ``$$…$$``) fragment by its text; one that cannot be read stays.

    Converters pad a fragment with spaces on both sides. The padding goes where
    the fragment meets Chinese text or punctuation, where it follows a hyphen
    (``NF- $\\cdot \\kappa B$`` → ``NF-κB``), where a hyphen follows it
    (``$L$ -amino`` → ``L-amino``), and where the fragment is a superscript or
    subscript of what precedes (``CD4 $^ { + }$`` → ``CD4+``).
    """
    writer = Rewriter(text)
    for match in LATEX_FRAGMENT.finditer(text):
        body = match.group("display") if match.group("display") is not None else match.group("inline")
        if not LATEX_SIGNS.search(body) and any(len(token) > 1 for token in body.split()):
            continue  # "$5 and $": dollars in prose, not a fragment of single-character tokens
        before = _space_start(text, match.start(), writer.cursor)
        after = _space_end(text, match.end())
        previous = text[before - 1] if before > 0 else ""
        following = text[after] if after < len(text) else ""
        # "NF- $…$" continues the word; in "$a$ - $b$" the dash stands alone.
        word_hyphen = previous in HYPHENS and before >= 2 and not text[before - 2].isspace()
        reading = read_latex(body, follows_hyphen=word_hyphen)
        if reading is None:
            continue
        # The padding is removed apart from the fragment, so evidence maps to the fragment alone.
        if _glues_left(previous, word_hyphen, body, reading):
            writer.replace(before, match.start(), "")
        writer.replace(match.start(), match.end(), reading)
        if _glues_right(following, text, after, reading):
            writer.replace(match.end(), after, "")
    return writer.finish()


def _space_start(text: str, position: int, floor: int) -> int:
    while position > floor and text[position - 1] in " \u3000":
        position -= 1
    return position


def _space_end(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \u3000":
        position += 1
    return position


def _glues_left(previous: str, word_hyphen: bool, body: str, reading: str) -> bool:
    if not previous or previous == "\n":
        return False
    if previous in HYPHENS:
        return word_hyphen
    attaches = body.lstrip().startswith(("^", "_")) or reading.startswith(("-", "·"))  # CD4 $^{+}$, IFN $\cdot\beta$
    return attaches or bool(GLUE_RIGHT_OF.match(previous))


def _glues_right(following: str, text: str, after: int, reading: str) -> bool:
    if not following or following == "\n":
        return False
    if following in HYPHENS:  # "$L$ -amino", but not "$x$ - $y$"
        return bool(WORD_END.search(reading)) and after + 1 < len(text) and not text[after + 1].isspace()
    return bool(GLUE_LEFT_OF.match(following))
