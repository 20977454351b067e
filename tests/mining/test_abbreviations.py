"""Abbreviation validation (Schwartz & Hearst, extended for biomedical writing)."""

import pytest

from glossary.mining import abbreviation_fits, find_full_form, looks_like_abbreviation
from glossary.mining.abbreviations import repair_abbreviation


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
