"""How a raw page's bytes are compressed: zstd with a dictionary trained on the archive's own
pages, plain zstd before the archive has one, and zlib in rows written before migration 11.

Pure functions over bytes; the tables are ``raw`` (pages) and ``raw_dictionaries``.

- **zstd, level 3** (``ZSTD_LEVEL``) when a page is written (during a crawl: fast), with a
  4-byte content checksum in each frame (zlib has its adler32): about 12 times faster than zlib
  level 6. Plain, a page is a little larger than zlib's; with a dictionary it is about 0.4 of
  zlib's size (``bench/bench_store.py``): a page of the site is mostly the same header, menus,
  sidebars and footer, which the dictionary holds once.
- **zstd, level 19** (``PACK_LEVEL``) when maintenance packs a page (weekly, in the
  background): about 0.45 of the size level 3 gives with the same dictionary, at some 50 ms a
  page instead of 0.3 ms; level 22 (``--ultra``) gives the same bytes, slower (a page is far
  smaller than level 19's window already).
- **The level is the loaded dictionary's** (``Dictionary.level``): zstd compresses with a
  dictionary digested for a level (a ``CDict``) at *that* level, whatever level the compressor
  was given, so a dictionary is loaded once per level it is used at.
- **A dictionary** is trained (``train``) on whole pages (zstd's fastCover defaults, what
  ``ZDICT_trainFromBuffer`` does), its size one fiftieth of the pages' bytes, at most
  ``MAX_DICTIONARY_SIZE`` (1 MiB): measured at ``PACK_LEVEL`` on pages it never saw, 1 MiB
  trained on 450 pages (53 MB) packs them 20 % smaller than 256 KiB, 8 % smaller than 512 KiB
  (zstd's rule of thumb, a hundredth), and 2 MiB is worse again. A frame records the
  dictionary's zstd id, so reading a page with the wrong dictionary fails loudly
  (``Dictionary mismatch``) instead of returning wrong bytes.
- **Loaded dictionaries are reused** (``cached``): digesting a dictionary for a level costs
  more than compressing a page with it (for level 19, some 300 ms), and each page is written
  in its own transaction. The cache is keyed by the dictionary's SHA-256, so it is right for
  any archive in the process; a dictionary's bytes are read only on a miss, and checked against
  that digest. Only dictionaries loaded for ``ZSTD_LEVEL`` are kept: one loaded for
  ``PACK_LEVEL`` takes some 33 MB (a 1 MiB dictionary), which a daemon would otherwise hold
  from one weekly maintenance to the next; packing loads it once per batch of pages.
- **zlib, level 6**: what the archive wrote before; read as before, never written again.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import zstandard

Codec = Literal["zlib", "zstd"]
ZSTD_LEVEL = 3  # a page written (crawl, reparse): fast
PACK_LEVEL = 19  # a page packed by maintenance: small
ZLIB_LEVEL = 6  # what rows written before migration 11 used (the benchmark's baseline)
MAX_DICTIONARY_SIZE = 1024 * 1024
MIN_DICTIONARY_SIZE = 4 * 1024  # below this, the pages are too few or too small to train on
SAMPLE_RATIO = 50  # sample bytes per dictionary byte (measured: see the module docstring)
CACHED = 8  # loaded dictionaries kept (an archive uses one, a few after template changes)


class CodecError(ValueError):
    """A blob that does not decompress with the codec and dictionary its row names."""


@dataclass(frozen=True)
class Dictionary:
    """A zstd dictionary of the archive: its id there, loaded (ready to compress at ``level``
    and to decompress with; immutable, shared between threads)."""

    dictionary_id: int
    loaded: zstandard.ZstdCompressionDict
    level: int = ZSTD_LEVEL


def load(dictionary_id: int, data: bytes, level: int = ZSTD_LEVEL) -> Dictionary:
    """A dictionary from its bytes, prepared to compress at ``level`` (not cached)."""
    loaded = zstandard.ZstdCompressionDict(data)
    loaded.precompute_compress(level=level)
    return Dictionary(dictionary_id, loaded, level)


def digest(data: bytes) -> str:
    """A dictionary's SHA-256, hex: the cache's key, and its check."""
    return hashlib.sha256(data).hexdigest()


_cache: OrderedDict[tuple[str, int], zstandard.ZstdCompressionDict] = OrderedDict()
_cache_lock = threading.Lock()


def cached(
    dictionary_id: int, sha256: str, read: Callable[[], bytes], level: int = ZSTD_LEVEL
) -> Dictionary:
    """The dictionary whose bytes hash to ``sha256``, loaded for ``level``: once per process
    for ``ZSTD_LEVEL`` (the last ``CACHED`` used are kept), at each call for another level;
    ``read`` gives its bytes on a miss. Bytes that do not hash to ``sha256`` are a
    ``CodecError``: a damaged dictionary would make every page it compressed unreadable, so it
    is never used to write more."""
    key = (sha256, level)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return Dictionary(dictionary_id, _cache[key], level)
    data = read()
    if digest(data) != sha256:
        raise CodecError(f"dictionary {dictionary_id} does not match its SHA-256: damaged")
    dictionary = load(dictionary_id, data, level)
    if level != ZSTD_LEVEL:
        return dictionary
    with _cache_lock:
        _cache[key] = dictionary.loaded
        while len(_cache) > CACHED:
            _cache.popitem(last=False)
    return dictionary


def compress(html: bytes, dictionary: Dictionary | None) -> bytes:
    """``html`` as a zstd frame: with ``dictionary`` at its level when given, else plain at
    ``ZSTD_LEVEL``."""
    return _compressor(dictionary).compress(html)


def decompress(blob: bytes, codec: str, dictionary: Dictionary | None) -> bytes:
    """The page a row holds: ``codec`` and ``dictionary`` as the row names them."""
    try:
        if codec == "zlib":
            return zlib.decompress(blob)
        if codec == "zstd":
            return _decompressor(dictionary).decompress(blob)
    except (zlib.error, zstandard.ZstdError) as error:
        raise CodecError(str(error)) from None
    raise CodecError(f"unknown codec {codec!r}")


def train(pages: Sequence[bytes]) -> bytes | None:
    """A dictionary trained on ``pages``; ``None`` when they are too few or too small (zstd
    needs about a hundred times the dictionary's size in samples)."""
    size = min(MAX_DICTIONARY_SIZE, sum(map(len, pages)) // SAMPLE_RATIO)
    if size < MIN_DICTIONARY_SIZE:
        return None
    try:
        trained = zstandard.train_dictionary(size, list(pages))
    except zstandard.ZstdError:
        return None  # "Src size is incorrect" and the like: nothing to learn from them
    return trained.as_bytes()


def compressed_size(pages: Sequence[bytes], dictionary: Dictionary | None) -> int:
    """The bytes ``pages`` take compressed with ``dictionary`` at its level (or plain zstd)."""
    compressor = _compressor(dictionary)
    return sum(len(compressor.compress(page)) for page in pages)


def _compressor(dictionary: Dictionary | None) -> zstandard.ZstdCompressor:
    """A compressor of its own (they are not thread-safe; a loaded dictionary is)."""
    if dictionary is None:
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True)
    return zstandard.ZstdCompressor(
        level=dictionary.level, dict_data=dictionary.loaded, write_checksum=True
    )


def _decompressor(dictionary: Dictionary | None) -> zstandard.ZstdDecompressor:
    if dictionary is None:
        return zstandard.ZstdDecompressor()
    return zstandard.ZstdDecompressor(dict_data=dictionary.loaded)
