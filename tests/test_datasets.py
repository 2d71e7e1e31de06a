import gzip
import shutil

import numpy as np
import pandas as pd
import pytest

from utils import datasets
from utils.datasets import (
    clean_review,
    load_imdb,
    load_shakespeare,
    load_sp500,
    shakespeare_works,
    split_by_date,
)
from utils.integrity import ChecksumError, verify_file


# ---------------------------------------------------------------- IMDB
def test_imdb_split_sizes_and_balance():
    sizes = {split: len(load_imdb(split)) for split in ("train", "validation", "test")}
    assert sizes == {"train": 19921, "validation": 2490, "test": 2491}
    for split in sizes:
        assert load_imdb(split)["label"].mean() == pytest.approx(0.5, abs=0.002)


def test_imdb_splits_are_disjoint_and_complete():
    everything = load_imdb("all")
    assert len(everything) == 24902
    assert everything["text"].is_unique
    parts = [set(load_imdb(split)["text"]) for split in ("train", "validation", "test")]
    assert not parts[0] & parts[1] and not parts[0] & parts[2] and not parts[1] & parts[2]
    assert sum(len(p) for p in parts) == len(everything)


def test_imdb_is_clean_text_with_binary_labels():
    train = load_imdb("train")
    assert list(train.columns) == ["text", "label"]
    assert set(train["label"]) == {0, 1}
    assert not train["text"].str.contains("<br", regex=False).any()
    assert (train["text"].str.len() > 0).all()


def test_imdb_limit_keeps_the_first_rows():
    assert load_imdb("train", limit=50).equals(load_imdb("train").iloc[:50])


def test_clean_review():
    assert clean_review("Great<br /><br />film &amp; cast.  ") == "Great film & cast."
    with pytest.raises(ValueError, match="text"):
        clean_review(None)


@pytest.mark.parametrize("bad", ["training", "", None])
def test_imdb_unknown_split(bad):
    with pytest.raises(ValueError, match="split"):
        load_imdb(bad)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_imdb_bad_limit(bad):
    with pytest.raises(ValueError, match="limit"):
        load_imdb("train", limit=bad)


# ---------------------------------------------------------------- Shakespeare
def test_shakespeare_split_by_work():
    splits = {split: shakespeare_works(split) for split in ("train", "validation", "test")}
    names = [set(works) for works in splits.values()]
    assert len(shakespeare_works("all")) == 42
    assert sum(len(n) for n in names) == 42
    assert not names[0] & names[1] and not names[0] & names[2] and not names[1] & names[2]
    assert "hamlet" in names[2] and "hamlet" not in names[0]
    chars = {split: len(load_shakespeare(split)) for split in splits}
    total = sum(chars.values())
    assert 0.08 < chars["validation"] / total < 0.12
    assert 0.08 < chars["test"] / total < 0.12


def test_shakespeare_text_and_limit():
    text = load_shakespeare("test")
    assert text.startswith("HAMLET, PRINCE OF DENMARK")
    assert text.isascii()
    assert load_shakespeare("test", limit_chars=1000) == text[:1000]
    with pytest.raises(ValueError, match="limit_chars"):
        load_shakespeare("test", limit_chars=0)
    with pytest.raises(ValueError, match="split"):
        load_shakespeare("dev")


def test_checksum_catches_a_corrupted_copy(tmp_path):
    copy = tmp_path / "shakespeare_works.json.gz"
    shutil.copy(datasets.SHAKESPEARE_FILE, copy)
    verify_file(copy, datasets.SHAKESPEARE_SHA256, "restore it")
    with gzip.open(copy, "ab") as handle:  # a valid gzip member appended: readable, but not the same bytes
        handle.write(b" ")
    with pytest.raises(ChecksumError, match="git checkout"):
        verify_file(copy, datasets.SHAKESPEARE_SHA256, "Restore it with: git checkout -- data/x")


def test_loader_refuses_a_corrupted_corpus(tmp_path, monkeypatch):
    copy = tmp_path / "shakespeare_works.json.gz"
    copy.write_bytes(datasets.SHAKESPEARE_FILE.read_bytes()[:-10])
    monkeypatch.setattr(datasets, "SHAKESPEARE_FILE", copy)
    datasets._shakespeare_works.cache_clear()
    try:
        with pytest.raises(ChecksumError, match="corrupted"):
            load_shakespeare("train")
    finally:
        datasets._shakespeare_works.cache_clear()


def test_missing_file_says_how_to_restore(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing"):
        verify_file(tmp_path / "nothing.gz", "0" * 64, "restore it")


# ---------------------------------------------------------------- S&P 500
def test_sp500_shape_and_dates():
    frame = load_sp500()
    assert frame.shape == (5031, 6)
    assert list(frame.columns) == ["Open", "High", "Low", "Close", "Adj Close", "Volume"]
    assert str(frame.index[0].date()) == "1999-01-04" and str(frame.index[-1].date()) == "2018-12-31"
    assert frame.index.is_monotonic_increasing and frame.index.is_unique


def test_split_by_date_is_chronological_and_complete():
    frame = load_sp500()
    train, validation, test = split_by_date(frame)
    assert train.index.max() < validation.index.min()
    assert validation.index.max() < test.index.min()
    assert len(train) + len(validation) + len(test) == len(frame)
    assert str(validation.index.min().date()) == "2013-01-02"
    assert str(test.index.min().date()) == "2016-01-04"


def test_split_by_date_bad_input():
    frame = load_sp500()
    with pytest.raises(ValueError, match="validation_start"):
        split_by_date(frame, validation_start="2016-01-01", test_start="2013-01-01")
    with pytest.raises(ValueError, match="empty"):
        split_by_date(frame, validation_start="2013-01-01", test_start="2030-01-01")
    with pytest.raises(ValueError, match="sorted"):
        split_by_date(frame.iloc[::-1])
    with pytest.raises(ValueError, match="DatetimeIndex"):
        split_by_date(pd.DataFrame({"x": np.arange(3)}))


def test_two_loads_give_identical_results():
    datasets._imdb_frame.cache_clear()
    first = load_imdb("validation")
    datasets._imdb_frame.cache_clear()
    second = load_imdb("validation")
    assert first.equals(second)
    assert [p.index.tolist() for p in split_by_date(load_sp500())] == [
        p.index.tolist() for p in split_by_date(load_sp500())
    ]


def test_split_does_not_depend_on_the_hash_seed():
    """Two fresh interpreters with different hash seeds produce the same IMDB split."""
    import os
    import subprocess
    import sys

    code = (
        "import hashlib; from utils.datasets import load_imdb; "
        "print(hashlib.sha256('\\n'.join(load_imdb('test')['text']).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code], env=os.environ | {"PYTHONHASHSEED": seed},
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(digests) == 1
