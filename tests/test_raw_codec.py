"""Compressing raw pages: zlib rows read as before, zstd with and without a dictionary
byte-identical, a dictionary trained on the site's pages, a wrong dictionary refused."""

from __future__ import annotations

import zlib

import pytest

from monitor.archive import raw_codec
from monitor.archive.raw_codec import CodecError, Dictionary
from replica.corpus import synthetic_pages
from replica.site import load_articles

ARTICLES = load_articles()
# text from half the articles to train on, pages of the other half to test with
TRAINING = [page.html for page in synthetic_pages(120, seed=1, sources=ARTICLES[0::2])]
TESTED = [page.html for page in synthetic_pages(10, seed=2, sources=ARTICLES[1::2])]


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    data = raw_codec.train(TRAINING)
    assert data is not None
    return raw_codec.load(1, data)


def test_a_zlib_row_reads_back_identical() -> None:
    assert raw_codec.decompress(zlib.compress(TESTED[0], 6), "zlib", None) == TESTED[0]


def test_plain_zstd_reads_back_identical() -> None:
    blob = raw_codec.compress(TESTED[0], None)
    assert raw_codec.decompress(blob, "zstd", None) == TESTED[0]


def test_zstd_with_a_dictionary_reads_back_identical(dictionary: Dictionary) -> None:
    for page in TESTED:
        blob = raw_codec.compress(page, dictionary)
        assert raw_codec.decompress(blob, "zstd", dictionary) == page


def test_the_empty_page_round_trips(dictionary: Dictionary) -> None:
    assert raw_codec.decompress(raw_codec.compress(b"", dictionary), "zstd", dictionary) == b""


def test_a_dictionary_of_other_pages_makes_pages_smaller(dictionary: Dictionary) -> None:
    plain = raw_codec.compressed_size(TESTED, None)
    assert raw_codec.compressed_size(TESTED, dictionary) < plain * 0.7


def test_a_dictionary_loaded_for_the_packing_level_packs_pages_smaller(
    dictionary: Dictionary,
) -> None:
    packing = raw_codec.load(1, dictionary.loaded.as_bytes(), raw_codec.PACK_LEVEL)
    written = raw_codec.compressed_size(TESTED, dictionary)
    assert raw_codec.compressed_size(TESTED, packing) < written * 0.8


def test_a_page_packed_reads_back_identical_with_the_dictionary_loaded_for_writing(
    dictionary: Dictionary,
) -> None:
    packing = raw_codec.load(1, dictionary.loaded.as_bytes(), raw_codec.PACK_LEVEL)
    assert (
        raw_codec.decompress(raw_codec.compress(TESTED[0], packing), "zstd", dictionary)
        == (TESTED[0])
    )


def test_reading_with_another_dictionary_fails_loudly(dictionary: Dictionary) -> None:
    other = raw_codec.train(TESTED * 12)
    assert other is not None
    blob = raw_codec.compress(TESTED[0], dictionary)
    with pytest.raises(CodecError, match="Dictionary mismatch"):
        raw_codec.decompress(blob, "zstd", raw_codec.load(2, other))


def test_reading_without_its_dictionary_fails_loudly(dictionary: Dictionary) -> None:
    with pytest.raises(CodecError):
        raw_codec.decompress(raw_codec.compress(TESTED[0], dictionary), "zstd", None)


def test_a_damaged_frame_is_refused_not_returned() -> None:
    blob = bytearray(raw_codec.compress(TESTED[0], None))
    blob[len(blob) // 2] ^= 0xFF
    with pytest.raises(CodecError):
        raw_codec.decompress(bytes(blob), "zstd", None)


def test_an_unknown_codec_is_refused() -> None:
    with pytest.raises(CodecError, match="unknown codec 'brotli'"):
        raw_codec.decompress(b"x", "brotli", None)


def test_too_little_data_trains_no_dictionary() -> None:
    assert raw_codec.train([b"<p>short</p>"] * 200) is None


def test_the_dictionary_is_at_most_1_mib() -> None:
    data = raw_codec.train(TRAINING * 3)
    assert data is not None and len(data) <= raw_codec.MAX_DICTIONARY_SIZE


def test_a_dictionary_is_read_once_per_process() -> None:
    data = raw_codec.train(TRAINING[:60])
    assert data is not None
    reads = []

    def read() -> bytes:
        reads.append(1)
        return data

    for _ in range(3):
        raw_codec.cached(5, raw_codec.digest(data), read)
    assert len(reads) == 1


def test_a_dictionary_is_kept_loaded_for_writing_only() -> None:
    data = raw_codec.train(TRAINING[:65])
    assert data is not None
    reads = []

    def read() -> bytes:
        reads.append(1)
        return data

    for level in (raw_codec.ZSTD_LEVEL, raw_codec.PACK_LEVEL) * 2:
        assert raw_codec.cached(7, raw_codec.digest(data), read, level).level == level
    assert len(reads) == 3  # the writing level once, the packing level each time


def test_a_damaged_dictionary_is_never_used() -> None:
    data = raw_codec.train(TRAINING[:70])
    assert data is not None
    damaged = data[:-1] + bytes([data[-1] ^ 1])
    with pytest.raises(CodecError, match="dictionary 6 does not match its SHA-256"):
        raw_codec.cached(6, raw_codec.digest(data), lambda: damaged)
