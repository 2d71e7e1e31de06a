"""SHA-256 checks for the data files the course reads."""

import hashlib
from pathlib import Path


class ChecksumError(ValueError):
    """A data file's bytes differ from the ones the course was built with."""


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path, expected: str, how_to_restore: str) -> Path:
    """Return ``path`` if it exists and its SHA-256 is ``expected``; otherwise raise with a fix."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"data file {path.name} is missing. {how_to_restore}")
    actual = sha256_of(path)
    if actual != expected:
        raise ChecksumError(
            f"data file {path.name} is corrupted or changed: SHA-256 {actual[:16]}… "
            f"but the course expects {expected[:16]}…. {how_to_restore}"
        )
    return path
