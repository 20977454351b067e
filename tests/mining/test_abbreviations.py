"""Abbreviation validation (Schwartz & Hearst, extended for biomedical writing)."""

import pytest

from glossary.mining import abbreviation_fits, find_full_form, looks_like_abbreviation
from glossary.mining.abbreviations import repair_abbreviation, split_chinese_head


@pytest.mark.parametrize(
    ("abbr", "full"),
    [
        ("HbA1c", "hemoglobin A1c"),
        ("ACE", "angiotensin-converting enzyme"),
        ("PPARγ", "peroxisome proliferator-activated receptor gamma"),
        ("NF-κB", "nuclear factor kappa-light-chain-enhancer of activated B cells"),
        ("TGF-β1", "transforming growth factor-β1"),
        ("IL-6", "interleukin-6"),
        ("ROS", "reactive oxygen species"),
        ("PD-L1", "programmed death-ligand 1"),
        ("eGFR", "estimated glomerular filtration rate"),
    ],
)
def test_letters_in_order_fit(abbr, full):
    assert abbreviation_fits(abbr, full) == 1.0


def test_plural_s_need_not_be_in_the_full_form():
    assert abbreviation_fits("NSAIDs", "non-steroidal anti-inflammatory drug") == 1.0


def test_greek_letter_matches_its_name_and_its_latin_initial():
    assert abbreviation_fits("IFN-γ", "interferon gamma") == 1.0
    assert abbreviation_fits("GABA", "gamma-aminobutyric acid") == 1.0


def test_missing_greek_qualifier_costs_some_confidence():
    assert 0 < abbreviation_fits("β-HCG", "human chorionic gonadotropin") < 1.0


def test_doubled_abbreviation_is_repaired():
    assert repair_abbreviation("ALTALT") == "ALT"
    assert repair_abbreviation("AA") == "AA"
    assert 0 < abbreviation_fits("ALTALT", "alanine aminotransferase") < 1.0


@pytest.mark.parametrize(("abbr", "full"), [("CRP", "heart rate"), ("MI", "insulin"), ("TNF", "necrosis factor")])
def test_unrelated_forms_do_not_fit(abbr, full):
    assert abbreviation_fits(abbr, full) == 0.0


@pytest.mark.parametrize("token", ["COPD", "mTOR", "Nrf2", "IL-1β", "SCFAs", "p53", "PD-L1", "α-SMA", "DA"])
def test_abbreviation_shapes(token):
    assert looks_like_abbreviation(token)


@pytest.mark.parametrize("token", ["insulin", "Escherichia", "S2021121085", "2019", "Title/Abstract", "x", "胰岛素"])
def test_not_abbreviation_shapes(token):
    assert not looks_like_abbreviation(token)


def test_full_form_is_found_before_the_abbreviation():
    assert find_full_form("HRV", "we measured the heart rate variability") == "heart rate variability"
    assert find_full_form("ROS", "high levels of reactive oxygen species") == "reactive oxygen species"
    assert find_full_form("MI", "the patient had a stroke") is None


@pytest.mark.parametrize(
    ("abbr", "full"),
    [
        ("mTORC1", "mechanistic target of rapamycin complex 1"),  # letters from inside words
        ("STROBE", "Strengthening the Reporting of Observational Studies in Epidemiology"),
        ("HSV-1", "herpes simplex virus type 1"),
        ("D1R", "type 1 dopamine receptor"),  # the number moved to the front
        ("HSV-2", "herpes simplex virus type two"),  # the number spelled
        ("PIP2", "phosphatidylinositol bisphosphate"),  # a multiplying prefix
        ("T2DM", "type II diabetes mellitus"),  # a Roman numeral
        ("AngⅡ", "angiotensin Ⅱ"),
        ("MPTP", "1-methyl-4-phenyl-1,2,3,6-tetrahydropyridine"),
        ("NK cell", "natural killer cell"),
        ("AS ODN", "antisense oligodeoxynucleotide"),
        ("sIgA", "secretory immunoglobulin A"),
        ("iNOS", "inducible nitric oxide synthase"),
    ],
)
def test_abbreviations_beyond_initials_fit(abbr, full):
    assert abbreviation_fits(abbr, full) == 1.0


def test_a_moved_number_must_be_the_same_number():
    assert abbreviation_fits("IL-6", "interleukin 10") == 0.0
    assert abbreviation_fits("D2R", "type 1 dopamine receptor") == 0.0


@pytest.mark.parametrize("token", ["Th", "Hb", "Zn", "sIgA", "iNOS", "AS ODN", "HSV-1", "mTORC1", "anti-CCP"])
def test_more_abbreviation_shapes(token):
    assert looks_like_abbreviation(token)


@pytest.mark.parametrize(
    "token",
    ["In", "An", "Of", "cells", "GCC-box", "ERE-element", "AT-rich", "W2-site", "IL-6 levels", "Child anxiety"],
)
def test_words_and_coded_names_are_not_abbreviations(token):
    assert not looks_like_abbreviation(token)


def test_a_short_form_may_keep_the_head_word_of_its_full_form():
    assert looks_like_abbreviation("NK cell", "natural killer cell")
    assert looks_like_abbreviation("Th17 cells", "T helper 17 cell")
    assert not looks_like_abbreviation("NK cell", "natural killer")
    assert not looks_like_abbreviation("NK cell")


def test_chinese_head_is_split_from_the_latin_short_form():
    assert split_chinese_head("M细胞") == ("M", "细胞")
    assert split_chinese_head("NKT細胞") == ("NKT", "細胞")
    assert split_chinese_head("细胞") is None
    assert split_chinese_head("3型") is None
