"""The shared text package: one abbreviation predicate, one variant key, notation and draft parts."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.formats import omegat
from glossary.mining import abbreviations as mining_abbreviations
from glossary.mining import textforms
from glossary.search import abbreviation_check
from glossary.text import CJK, GREEK, GREEK_NAMES, ROMAN, abbreviation_variant_key, looks_like_abbreviation
from glossary.text.drafts import draft_parts
from glossary.text.notation import is_notation, label_spans

# Invented tokens: what each is, as a biomedical editor reads it.
TOKENS = {
    "Nrf2": True, "p53": True, "HPA": True, "mTOR": True, "IL-1β": True, "NF-κB": True, "SCFAs": True,
    "Th": True, "5-HT": True, "TGF-β1": True, "Zq": True, "CpG ODN": True, "GCC-box": False, "Table": False,
    "the": False, "an": False, "stress": False, "TitleAbstract": False, "x": False, "12345": False,
    "肾上腺": False, "kinase": False,
}  # fmt: skip


@pytest.mark.parametrize(("token", "expected"), TOKENS.items())
def test_one_predicate_for_miner_formats_and_check(token, expected):
    assert looks_like_abbreviation(token) is expected
    # every door asks the same function, so they cannot disagree
    assert mining_abbreviations.looks_like_abbreviation is looks_like_abbreviation
    assert omegat.looks_like_abbreviation is looks_like_abbreviation
    assert abbreviation_check.looks_like_abbreviation is looks_like_abbreviation


def test_script_ranges_have_one_home():
    """The miner reads the shared ranges; it keeps no copy of its own."""
    assert textforms.GREEK_NAMES is GREEK_NAMES
    assert (CJK, GREEK, ROMAN) == (textforms.CJK, textforms.GREEK, textforms.ROMAN)
    assert "GREEK_NAMES = {" not in Path(textforms.__file__).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "spellings",
    [
        ("SCFA", "SCFAs", "scfa", "ＳＣＦＡ"),
        ("NF-κB", "NF-kB", "NF-kappaB", "nf-κb", "NFκB"),
        ("TNF-α", "TNF-alpha", "TNFα"),
        ("IL-1β", "IL-1beta", "IL1β"),
        ("NKT", "NKT细胞"),
    ],
)
def test_variant_key_folds_plural_case_and_greek(spellings):
    assert len({abbreviation_variant_key(s) for s in spellings}) == 1


@pytest.mark.parametrize(("one", "other"), [("HPA", "HPT"), ("PIP2", "PP2"), ("ACH", "ACTH"), ("RhoA", "RA")])
def test_variant_key_keeps_different_abbreviations_apart(one, other):
    assert abbreviation_variant_key(one) != abbreviation_variant_key(other)


@pytest.mark.parametrize(
    ("token", "after"),
    [
        ("CO2", ""),
        ("H2O2", ""),
        ("NaCl", ""),
        ("Ca2", "+ "),
        ("Zn", ""),
        ("II", ""),
        ("IV", ""),
        ("μM", ""),
        ("10μM", ""),
        ("IU/mL", ""),
        ("mg/kg", ""),
        ("C57BL/6J", ""),
        ("BALB/c", ""),
        ("ApoE", "-/- "),
        ("kDa", ""),
    ],
)
def test_notation_is_not_an_abbreviation(token, after):
    assert is_notation(token, after)


@pytest.mark.parametrize("token", ["HPA", "CB1", "PCOS", "Th17", "NO", "SCFA", "PI3K/Akt", "NS1"])
def test_abbreviations_are_not_notation(token):
    assert not is_notation(token)


def test_labels():
    text = "见Table S1和Fig. 2A, B；图3与表S2–S4；Figs. 3A–C show; S1 neurons"
    assert [text[a:b] for a, b in label_spans(text)] == ["Table S1", "Fig. 2A, B", "图3", "表S2–S4", "Figs. 3A–C"]


def test_draft_parts():
    text = (
        "肠道菌群与应激\n摘要：短链脂肪酸（SCFA）。\n关键词：应激\nGut and stress\n"
        "Abstract: Short-chain fatty acids (SCFA).\nKey words: stress\n1 引言\n正文。\n参考文献\n[1] Ref.\n"
    )
    parts = [(p.kind, p.lang, text[p.start : p.end].splitlines()[0]) for p in draft_parts(text)]
    assert parts == [("title", "zh", "肠道菌群与应激"), ("abstract", "zh", "摘要：短链脂肪酸（SCFA）。"),
                     ("title", "en", "Gut and stress"), ("abstract", "en", "Abstract: Short-chain fatty acids (SCFA)."),
                     ("body", "zh", "1 引言"), ("references", "zh", "参考文献")]  # fmt: skip
    assert [(p.kind, p.start, p.end) for p in draft_parts("只有正文。")] == [("body", 0, 5)]
    assert draft_parts("  \n") == []


@pytest.mark.parametrize(
    ("typed", "abbr"),
    [
        ("hpa", "hpa"),
        ("Nrf2", "nrf2"),
        ("p53", "p53"),
        ("nf kb", "nfkb"),
        ("IL-1β", "il1b"),
        ("tumour necrosis factor alpha", ""),  # four words: the predicate says no abbreviation
    ],
)
def test_search_reads_a_query_with_the_same_predicate(typed, abbr):
    from glossary.search.query import parse_query

    assert parse_query(typed).abbr == abbr
