"""The spelling table behind term recognition, against a plain scan of every substring."""

from __future__ import annotations

import random

import numpy as np
import pytest

from glossary.search.term_table import PREFIX, TermTable, hash_strings, open_tables, save_tables


def _naive(spellings: dict[str, int], text: str) -> set[tuple[int, int, int]]:
    """Every (start, length, id) by trying every substring: what the table must find."""
    return {
        (start, end - start, spellings[text[start:end]])
        for start in range(len(text))
        for end in range(start + 1, len(text) + 1)
        if text[start:end] in spellings
    }


def _found(table: TermTable, text: str) -> set[tuple[int, int, int]]:
    m = table.find(text)
    return set(zip(m.starts.tolist(), m.lengths.tolist(), m.term_ids.tolist(), strict=True))


def test_finds_every_occurrence_of_every_length_in_both_scripts_and_beyond_the_basic_plane():
    spellings = {"催产素": 1, "催产素受体": 2, "受体": 3, "受": 4, "oxytocin receptor": 5, "hpa": 6, "𠀀𠀁": 7, "體": 8}
    table = TermTable.build(list(spellings), list(spellings.values()))
    text = "催产素受体与oxytocin receptor结合，hpa轴；𠀀𠀁，受體"
    assert _found(table, text) == _naive(spellings, text)
    assert (0, 5, 2) in _found(table, text) and (text.index("𠀀"), 2, 7) in _found(table, text)


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_a_plain_scan_on_random_spellings_and_texts(seed):
    rng = random.Random(seed)
    alphabet = "abc催产素受体 -"  # a small alphabet, so that spellings overlap and nest often
    spellings: dict[str, int] = {}
    for term_id in range(1, 300):
        spelling = "".join(rng.choices(alphabet, k=rng.randint(1, 3 * PREFIX)))
        spellings.setdefault(spelling, term_id)
    table = TermTable.build(list(spellings), list(spellings.values()))
    for _ in range(5):
        text = "".join(rng.choices(alphabet, k=rng.randint(0, 400)))
        assert _found(table, text) == _naive(spellings, text)


def test_a_spelling_shared_by_two_terms_keeps_the_oldest():
    table = TermTable.build(["受体", "受体", "受体"], [9, 4, 7])
    assert _found(table, "受体") == {(0, 2, 4)}


def test_an_empty_table_and_an_empty_text_find_nothing():
    empty = TermTable.build([], [])
    assert len(empty.find("催产素")) == 0
    assert len(TermTable.build(["a"], [1]).find("")) == 0


def test_hashes_of_distinct_strings_differ_and_do_not_depend_on_position():
    words = [f"{a}{b}{c}" for a in "abcde催产" for b in "xyz受体" for c in "0123456789"]
    assert len(set(hash_strings(words).tolist())) == len(words)
    table = TermTable.build(words, list(range(len(words))))
    assert _found(table, "0" * 37 + "a受7") == {(37, 3, words.index("a受7"))}


def test_saved_tables_open_memory_mapped_and_find_the_same(tmp_path):
    table = TermTable.build(["催产素", "oxytocin receptor"], [1, 2])
    save_tables(tmp_path / "5-9", {"folded": table}, {"up_to_id": 5, "revision": 9})
    opened, meta = open_tables(tmp_path / "5-9", ["folded"])
    assert meta == {"format": 2, "up_to_id": 5, "revision": 9}
    assert isinstance(opened["folded"].hashes.base, np.memmap)  # a view of the file, not a copy
    text = "催产素 oxytocin receptor"
    assert _found(opened["folded"], text) == _found(table, text) == {(0, 3, 1), (4, 17, 2)}
    # Saving the same state again (another worker got there first) keeps the first save.
    save_tables(tmp_path / "5-9", {"folded": TermTable.build(["x"], [3])}, {"up_to_id": 5, "revision": 9})
    assert _found(open_tables(tmp_path / "5-9", ["folded"])[0]["folded"], text) == {(0, 3, 1), (4, 17, 2)}
    assert [p.name for p in tmp_path.iterdir()] == ["5-9"]


def test_damaged_saves_are_refused(tmp_path):
    save_tables(tmp_path / "1-1", {"folded": TermTable.build(["催产素"], [1])}, {"up_to_id": 1, "revision": 1})
    hashes = tmp_path / "1-1" / "folded.hashes.npy"
    hashes.write_bytes(hashes.read_bytes()[:60])
    with pytest.raises((ValueError, OSError)):
        open_tables(tmp_path / "1-1", ["folded"])
