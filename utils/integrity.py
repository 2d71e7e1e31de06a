"""SHA-256 checks for the data files the course reads."""

import hashlib
import re
from pathlib import Path

from utils.checks import ArgumentTypeError, describe, path_like

_HEX64 = re.compile(r"[0-9a-f]{64}")


class ChecksumError(ValueError):
    """A data file's bytes differ from the ones the course was built with."""


def sha256_of(path) -> str:
    """The SHA-256 of a file's bytes, as 64 lower-case hex digits."""
    path = path_like(path, "path")
    if not path.is_file():
        what = "is not a regular file" if path.exists() else "does not exist"
        raise FileNotFoundError(f"path {str(path)!r} {what}; expected an existing file")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_arguments(path, expected, how_to_restore) -> Path:
    """``path`` as a Path after checking that ``expected`` is 64 hex digits and ``how_to_restore`` a sentence."""
    path = path_like(path, "path")
    if not isinstance(expected, str):
        raise ArgumentTypeError(f"expected must be a SHA-256 as 64 hex digits (str), got {describe(expected)}")
    if not _HEX64.fullmatch(expected.lower()):
        raise ValueError(f"expected must be a SHA-256 as 64 hex digits, got {describe(expected)}")
    if not isinstance(how_to_restore, str):
        raise ArgumentTypeError(f"how_to_restore must be a sentence (str), got {describe(how_to_restore)}")
    if not path.is_file():
        what = "is not a regular file" if path.exists() else "is missing"
        raise FileNotFoundError(f"data file {path.name} {what} ({path}). {how_to_restore}")
    return path


def _compare(path: Path, actual: str, expected: str, how_to_restore: str) -> None:
    if actual != expected.lower():
        raise ChecksumError(
            f"data file {path.name} is corrupted or changed: SHA-256 {actual[:16]}… "
            f"but the course expects {expected.lower()[:16]}…. {how_to_restore}"
        )


def verify_file(path, expected: str, how_to_restore: str) -> Path:
    """Return ``path`` if it exists and its SHA-256 is ``expected``; otherwise raise with a fix.

    ``expected`` is 64 hex digits, in either case. A loader that goes on to read the file should use
    ``read_verified`` instead: it checks and returns the same bytes, so the file cannot change in between.
    """
    path = _check_arguments(path, expected, how_to_restore)
    _compare(path, sha256_of(path), expected, how_to_restore)
    return path


def read_verified(path, expected: str, how_to_restore: str) -> bytes:
    """The bytes of ``path``, read once, if their SHA-256 is ``expected``; otherwise raise with a fix.

    Parse the returned bytes (``io.BytesIO(data)``, ``gzip.decompress(data)``) rather than opening the file
    again: the bytes that were checked are then exactly the bytes that are used, even if the file is replaced
    after the check. Raises ``FileNotFoundError`` (missing file) or ``ChecksumError`` (other bytes), both
    ending with ``how_to_restore``.
    """
    path = _check_arguments(path, expected, how_to_restore)
    with open(path, "rb") as handle:
        data = handle.read()
    _compare(path, hashlib.sha256(data).hexdigest(), expected, how_to_restore)
    return data
