"""Reading: every encoding an article arrives in, and clear refusals."""

import pytest

from glossary.mining import UnreadableDocument, read_document

SIMPLIFIED = "促甲状腺激素（thyroid stimulating hormone，TSH）由腺垂体分泌，调节甲状腺功能。"
TRADITIONAL = "腦源性神經營養因子（brain derived neurotrophic factor，BDNF）與憂鬱症的發生有關。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "gbk"])
def test_simplified_text_in_each_encoding(encoding):
    assert read_document(SIMPLIFIED.encode(encoding), "a.txt") == SIMPLIFIED


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "big5", "cp950"])
def test_traditional_text_in_each_encoding(encoding):
    assert read_document(TRADITIONAL.encode(encoding), "b.txt") == TRADITIONAL


def test_short_big5_is_not_mistaken_for_gb18030():
    for text in ("細胞激素", "甲狀腺", "發炎反應與預後"):
        assert read_document(text.encode("big5"), "c.txt") == text


def test_utf8_cut_inside_the_last_character_is_read():
    data = SIMPLIFIED.encode("utf-8")[:-1]
    assert read_document(data, "cut.txt").startswith("促甲状腺激素")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \n\t\n", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary", "PDF"),
        (b"PK\x03\x04\x14\x00", "ZIP"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
    ],
)
def test_unreadable_input_is_refused_naming_the_file(data, reason):
    with pytest.raises(UnreadableDocument) as caught:
        read_document(data, "notes/odd.bin")
    assert "notes/odd.bin" in str(caught.value)
    assert reason.lower() in str(caught.value).lower()
    assert caught.value.name == "notes/odd.bin"


def test_random_bytes_are_refused():
    noise = bytes((i * 193 + 71) % 251 + 1 for i in range(4000))  # no NUL, no valid text
    with pytest.raises(UnreadableDocument):
        read_document(noise, "noise.dat")
