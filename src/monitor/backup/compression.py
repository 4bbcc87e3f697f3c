"""A backup's file: the verified copy compressed with zstd, streamed (constant memory).

The frames carry zstd's content checksum, so a damaged file fails to decompress rather than
giving wrong bytes; the manifest's SHA-256 of the whole file catches damage before that.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import zstandard

from monitor.errors import BackupError, DamagedError

LEVEL = 9  # the raw pages inside are zstd already: higher levels cost time for little
CHUNK = 1 << 20
FILE_MODE = 0o600


def compress(source: Path, dest: Path) -> tuple[str, str]:
    """Write ``source`` compressed to the new file ``dest`` (mode 0600), then read it back
    decompressed: (SHA-256 of ``dest``, SHA-256 of ``source``); a ``DamagedError`` when what
    reads back is not ``source``."""
    original = hashlib.sha256()
    compressor = zstandard.ZstdCompressor(level=LEVEL, write_checksum=True, threads=-1)
    descriptor = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with source.open("rb") as reading, os.fdopen(descriptor, "wb") as writing:
        with compressor.stream_writer(writing, closefd=False) as stream:
            while chunk := reading.read(CHUNK):
                original.update(chunk)
                stream.write(chunk)
        writing.flush()
        os.fsync(writing.fileno())
    if decompressed_sha256(dest) != original.hexdigest():
        raise DamagedError(
            f"{dest} does not decompress to the copy it was made from", path=str(dest)
        )
    return sha256(dest), original.hexdigest()


def decompress(source: Path, dest: Path) -> None:
    """Write ``source`` decompressed to the new file ``dest`` (mode 0600); a ``DamagedError``
    when it does not decompress."""
    descriptor = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with source.open("rb") as reading, os.fdopen(descriptor, "wb") as writing:
            zstandard.ZstdDecompressor().copy_stream(reading, writing, read_size=CHUNK)
            writing.flush()
            os.fsync(writing.fileno())
    except zstandard.ZstdError as error:
        raise DamagedError(
            f"{source} does not decompress: {error}", path=str(source), problems=[str(error)]
        ) from None
    except OSError as error:
        raise BackupError(f"cannot read {source}: {error.strerror}", path=str(source)) from None


def decompressed_sha256(path: Path) -> str | None:
    """The SHA-256 of what ``path`` decompresses to; None when it does not."""
    digest = hashlib.sha256()
    try:
        with (
            path.open("rb") as reading,
            zstandard.ZstdDecompressor().stream_reader(reading) as stream,
        ):
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
    except zstandard.ZstdError:
        return None
    return digest.hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as reading:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def is_compressed(path: Path) -> bool:
    """Whether ``path`` starts with zstd's magic number."""
    with path.open("rb") as reading:
        return reading.read(4) == b"\x28\xb5\x2f\xfd"
