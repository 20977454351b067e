"""One script conversion and one set of match keys (``glossary.text.convert`` and ``glossary.text.keys``).

Every package converts scripts and keys terms through these functions, so the
miner, search, the formats and the stored keys cannot disagree. Strings are
invented.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import glossary.text
from glossary.formats import omegat, tbx_reader
from glossary.mining import textforms
from glossary.search import query
from glossary.text import convert, keys, scripts
from glossary.text.keys import (
    abbr_key,
    bidi_control_in,
    drop_invisible,
    english_key,
    english_merge_key,
    fold_common,
    greek_names_to_letters,
    zh_key,
)

ROOT = Path(__file__).resolve().parents[2]


# --- conversion: one converter per configuration -------------------------------------------------


def test_one_converter_per_configuration():
    assert convert.converter("t2s") is convert.converter("t2s")
    assert convert.converter("s2twp") is convert.converter("s2twp")
    assert convert.converter("t2s") is not convert.converter("s2twp")


def test_converter_is_built_once_when_threads_ask_together(monkeypatch):
    import opencc

    built = []

    class CountingOpenCC:
        def __init__(self, config):
            time.sleep(0.05)  # a slow build, so that unguarded threads would all build one
            built.append(config)

    monkeypatch.setattr(convert, "_converters", {})
    monkeypatch.setattr(opencc, "OpenCC", CountingOpenCC)
    start = threading.Barrier(8)
    got = []

    def ask():
        start.wait()
        got.append(convert.converter("invented-config"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert built == ["invented-config"]
    assert len(got) == 8 and all(one is got[0] for one in got)


def test_no_converter_is_built_at_import():
    code = (
        "import sys\n"
        "import glossary.text, glossary.mining, glossary.search, glossary.formats.omegat, glossary.models\n"
        "from glossary.text import convert\n"
        "print(sorted(convert._converters), 'opencc' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[]", "False"]


def test_opencc_is_constructed_in_one_place():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "glossary").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "OpenCC(" in line
    ]
    assert found == ["glossary/text/convert.py:" + str(_line_of("OpenCC(", convert.__file__))]


def _line_of(needle: str, file: str) -> int:
    lines = Path(file).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_every_door_converts_with_the_same_functions():
    for module in (textforms, omegat, tbx_reader, glossary.text):
        assert module.to_simplified is convert.to_simplified, module.__name__
    assert omegat.to_traditional is convert.to_traditional
    assert textforms.has_cjk is convert.has_cjk is query.has_cjk
    assert not (ROOT / "glossary" / "textkeys.py").exists()
    assert not (ROOT / "glossary" / "formats" / "chinese.py").exists()


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [("肠道菌群失调", "腸道菌群失調"), ("血清素受体", "血清素受體"), ("神经肽Y", "神經肽Y")],
)
def test_scripts_convert_both_ways(simplified, traditional):
    assert convert.to_traditional(simplified) == traditional
    assert convert.to_simplified(traditional) == simplified
    assert convert.to_simplified(simplified) == simplified


def test_traditional_uses_taiwan_phrasing():
    assert convert.to_traditional("软件") == "軟體"  # s2twp, not a character-by-character 軟件


def test_long_texts_convert_too():
    text = "腸道菌群，" * 40  # longer than what the cache keeps
    assert convert.to_simplified(text) == "肠道菌群，" * 40


@pytest.mark.parametrize("text", ["T-cell receptor", "", "αβ T cells", "Ⅱ"])
def test_text_without_han_is_returned_as_is(text):
    assert convert.to_simplified(text) is text
    assert convert.to_traditional(text) is text
    assert not convert.has_cjk(text)


def test_han_ranges_come_from_scripts():
    assert convert.CJK_RE.pattern == f"[{scripts.CJK}]"
    assert convert.has_cjk("IL-6 受体") and convert.has_cjk("\u3400") and convert.has_cjk("\uf900")
    assert not convert.has_cjk("\u3041")  # hiragana is not Han
    written = [p.name for p in (ROOT / "glossary").rglob("*.py") if re.search(r"\\u3400|\\u4e00", p.read_text("utf-8"))]
    assert written == ["scripts.py"], "Han ranges belong in text/scripts.py"


# --- match keys ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spellings",
    [
        ("T-cell receptor", "T cell receptor", "t‐cell  Receptor", "T–cell receptor"),
        ("nuclear factor-κB", "nuclear factor κB", "Nuclear Factor‑κB"),
        ("fatty acid/lipid sensor", "fatty acid lipid sensor", "fatty_acid lipid sensor"),
    ],
)
def test_english_keys_agree_on_what_both_fold(spellings):
    """The stored key and the miner's merge key fold case, dashes, slashes and spacing alike."""
    assert len({english_key(s) for s in spellings}) == 1
    assert len({english_merge_key(s) for s in spellings}) == 1


def test_t_cell_receptor_keys():
    assert english_key("T-cell receptor") == "t cell receptor"
    assert english_merge_key("T-cell receptor") == english_merge_key("T cell receptor") == "t cell receptor"


@pytest.mark.parametrize(
    "spellings",
    [
        ("nuclear factor kappa B", "nuclear factor κB", "nuclear factor-κB", "Nuclear factor Kappa-B"),
        ("tumour necrosis factor alpha", "tumour necrosis factor-α", "tumour necrosis factor α"),
        ("interleukin 1 beta", "interleukin-1β", "Interleukin-1 Beta"),
        ("alpha-synuclein", "α-synuclein", "α synuclein"),
    ],
)
def test_merge_key_folds_greek_names_and_letters(spellings):
    assert len({english_merge_key(s) for s in spellings}) == 1


def test_stored_english_key_keeps_greek_names_and_search_bridges_them():
    """Unchanged stored keys (no migration): ``kappa`` and ``κ`` differ there; a query reads both."""
    assert english_key("nuclear factor kappa B") == "nuclear factor kappa b"
    assert english_key("nuclear factor κB") == "nuclear factor κb"
    typed = query.parse_query("nuclear factor κB")
    assert english_key("nuclear factor kappa B") in {typed.en, *typed.en_variants}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("T-cell receptor", "B-cell receptor"),
        ("alphabet soup protein", "α bet soup protein"),  # a name inside a word is not a letter
        ("betaine transporter", "β ine transporter"),
        ("nuclear factor kappa B", "nuclear factor kappa C"),
    ],
)
def test_merge_key_keeps_different_terms_apart(one, other):
    assert english_merge_key(one) != english_merge_key(other)


INVENTED = [
    "T-cell receptor", "T cell  receptor.", "NF-kappa B", "nuclear factor-κB;", "IL-1 beta", "fatty_acid/sensor",
    "Alpha-Beta T cells", "theta rhythm", "X\u200bcell", "anti-PD-1 / PD-L1 axis", "TNF alpha-induced protein 3",
    "Omega-3 fatty acids", "pi-stacking", "  Gamma  delta  T  cells ",
]  # fmt: skip


def test_merge_key_builds_on_the_stored_key():
    """Two spellings with one stored key always merge: the miner's key only adds folding."""
    for one in INVENTED:
        for other in INVENTED:
            if english_key(one) == english_key(other):
                assert english_merge_key(one) == english_merge_key(other)
        assert english_merge_key(one) == english_merge_key(english_key(one))


def test_miner_merges_with_the_merge_key():
    assert textforms.en_key is english_merge_key
    assert textforms.zh_key is zh_key
    assert textforms.fold is fold_common


def test_miner_gives_one_candidate_for_the_spellings_of_one_term():
    from glossary.mining import mine_texts

    docs = [
        ("a", "研究发现，白细胞介素-1β（interleukin-1 beta，IL-1β）可促进炎症反应。"),
        ("b", "实验表明，白细胞介素-1β（Interleukin-1β，IL-1β）在肠道中升高。"),
        ("c", "我们测定了白细胞介素-1β（interleukin 1β, IL-1β）的水平。"),
    ]
    found = [(c.zh, c.abbr, c.count) for c in mine_texts(docs)]
    assert found == [("白细胞介素-1β", "IL-1β", 3)]


@pytest.mark.parametrize(
    "spellings",
    [("腸道菌群", "肠道菌群", "肠道 菌群"), ("Ｔ细胞受体", "T細胞受體", "t 细胞受体"), ("5–羟色胺", "5-羥色胺")],
)
def test_zh_key_folds_script_width_case_and_spacing(spellings):
    assert len({zh_key(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (("NF-κB", "nf-kb", "NFKB", "NF.κB", "ＮＦ-κB"), "nfkb"),
        (("IL-1β", "il1b", "IL 1 β"), "il1b"),
        (("PKCθ", "PKC-θ"), "pkcth"),  # θ spelled out as th, as the stored keys always were
        (("IFN-Γ",), "ifng"),
    ],
)
def test_abbr_key_spells_greek_in_latin(spellings, key):
    assert {abbr_key(s) for s in spellings} == {key}


def test_one_greek_table():
    """Names, letters and their Latin spellings live in one table; the others derive from it."""
    names = [name for name, _, _ in scripts.GREEK_LETTERS]
    assert len(names) == len(set(names)) == 24
    assert scripts.GREEK_NAMES == {name: letter for name, letter, _ in scripts.GREEK_LETTERS}
    assert scripts.GREEK_TO_LATIN["κ"] == "k" and scripts.GREEK_TO_LATIN["θ"] == "t"
    assert scripts.GREEK_SPELLED["κ"] == "k" and scripts.GREEK_SPELLED["θ"] == "th"
    assert query.GREEK_NAMES is textforms.GREEK_NAMES is scripts.GREEK_NAMES
    literal = re.compile(r"""["']kappa["']\s*[:,]\s*["']κ""")
    homes = [p.name for p in (ROOT / "glossary").rglob("*.py") if literal.search(p.read_text(encoding="utf-8"))]
    assert homes == ["scripts.py"]


def test_greek_names_to_letters_takes_whole_words_only():
    assert greek_names_to_letters("TNF Alpha and IL-1 beta") == "TNF α and IL-1 β"
    assert greek_names_to_letters("alphabet betaine NF-kappaB") == "alphabet betaine NF-kappaB"


def test_invisible_characters():
    assert drop_invisible("oxy\u200btocin\u202e") == "oxytocin"
    assert bidi_control_in("abc\u202egnp") == "\u202e"
    assert bidi_control_in("plain") is None
    assert fold_common(" oxy\u200btocin\x00 ’s  ") == "oxytocin 's"
    assert english_key("oxy\u200btocin") == english_key("oxytocin")


def test_keys_module_is_the_one_home():
    for name in ("zh_key", "english_key", "english_merge_key", "abbr_key", "fold_common", "pinyin_forms"):
        assert getattr(glossary.text, name) is getattr(keys, name)
