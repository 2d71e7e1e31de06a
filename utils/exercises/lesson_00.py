"""Exercises 00.1–00.3 of lesson 00, sequences and the course's data: windows, truncation, windows per period."""



from utils.exercises.core import (
    SP500_DAYS,
    SP500_SPLIT_DAYS,
    Wrong,
    exercise,
    read_integers,
    read_mapping,
    read_shape,
    read_words,
)


@exercise(
    "00.1",
    question="Build 60-day windows over the `Close` and `Volume` columns of the S&P 500 with "
             "`make_windows(..., window=60, target_column=0)` and stack them with `dataset_to_arrays`. "
             "What shape do the inputs have?",
    verifies="the exact shape of the inputs, (windows, time steps, features), over the whole series",
    hint="The lesson's 20-day windows over Close alone had shape (5011, 20, 1): a series of n days gives n - w "
         "windows of w days (a window that ends on the last day has no next day to predict). Each day now has two "
         "features.",
    wrong=[((4971, 60, 1), "feature"), ((5031, 60, 2), "windows"), ((4971, 2, 60), "order"),
           ((32, 60, 2), "batch"), ("(4971, 60, 2)", "tuple of integers")],
)
def _check_00_1(answer):
    shape = read_shape(answer)
    expected = (SP500_DAYS - 60, 60, 2)
    if shape == expected:
        return (f"{expected}: {expected[0]:,} windows of 60 days with 2 features each; the target of every "
                "window is the next day's close (column 0).")
    if len(shape) != 3:
        raise Wrong(f"{shape} has {len(shape)} dimensions; recurrent layers take 3: [batch, time, features]")
    if shape[0] == 32 or shape[0] == 256:
        raise Wrong(f"{shape} looks like one batch of the dataset; stack all batches with dataset_to_arrays "
                    "and give the shape of the inputs")
    if sorted(shape) == sorted(expected):
        raise Wrong(f"{shape} has the right numbers in the wrong order: [batch, time, features]")
    if shape[2] == 1:
        raise Wrong(f"{shape} has 1 feature per day: pass both columns, sp500[['Close', 'Volume']]")
    if shape[1] != 60:
        raise Wrong(f"{shape}: each window should hold 60 days (window=60)")
    if shape[0] == SP500_DAYS or shape[0] == SP500_DAYS - 59:
        raise Wrong(f"{shape}: {shape[0]:,} windows is too many; a series of n days gives n - w windows, "
                    "because the last window must still have a next day as its target")
    raise Wrong(f"{shape} is not the shape make_windows gives; count the windows again (n - w)")


@exercise(
    "00.2",
    question="Pad the lesson's three sentences (their `ids`) with `keras.utils.pad_sequences(ids, maxlen=4, "
             "truncating=...)`. Which words are lost with `truncating='pre'`, and which with `truncating='post'`?",
    verifies='the words each setting drops, as {"pre": [...], "post": [...]} (order does not matter)',
    hint="Only the six-word sentence is longer than 4. 'pre' and 'post' say which end is cut off; map the ids "
         "that disappear back to words with vectorize.get_vocabulary().",
    wrong=[({"pre": ["at", "all"], "post": ["not", "a"]}, "swapped"), ({"pre": [], "post": []}, "longer"),
           (["not", "a"], "dict")],
)
def _check_00_2(answer):
    parts = read_mapping(answer, ["pre", "post"], '{"pre": ["..."], "post": ["..."]}')
    pre, post = read_words(parts["pre"], 'answer["pre"]'), read_words(parts["post"], 'answer["post"]')
    right_pre, right_post = {"not", "a"}, {"at", "all"}
    if pre == right_pre and post == right_post:
        return ("'pre' cuts the start — 'not a good film at all' becomes 'good film at all', the negation is "
                "gone — and 'post' cuts the end, 'at all'. Which end to keep is a modelling choice.")
    if pre == right_post and post == right_pre:
        raise Wrong("swapped: truncating='pre' removes ids from the start of a sequence (it keeps the last "
                    "maxlen), truncating='post' from the end")
    if not pre and not post:
        raise Wrong("the six-word sentence is longer than maxlen=4, so two of its words are lost either way")
    raise Wrong(f"'pre' loses {sorted(pre)} and 'post' loses {sorted(post)}? Not quite: look at which ids of "
                "the six-word sentence remain after each call, and which two are gone")


@exercise(
    "00.3",
    question="Build 30-day windows of the closing price separately in each period of `split_by_date(sp500)`, as "
             "the later lessons do with their windows. How many windows do the three periods give together, and "
             "how many of the 5,001 30-day windows over the whole series would have straddled a boundary between "
             "two periods?",
    verifies='both counts exactly, as {"per_split": ..., "straddling": ...}',
    hint="Each period of n days gives n - 30 windows (make_windows(..., window=30) on that period alone). Subtract "
         "their sum from the 5,001 windows of the whole series.",
    wrong=[({"per_split": 5001, "straddling": 0}, "whole series"), ({"per_split": 4941, "straddling": 30}, "subtract"),
           ({"per_split": 4971, "straddling": 40}, "n - 30"), ({"per_split": 4943, "straddling": 58}, "per period")],
)
def _check_00_3(answer):
    per_split, straddling = read_integers(answer, ["per_split", "straddling"],
                                          '{"per_split": 1234, "straddling": 56}').values()
    window = 30
    expected = sum(days - window for days in SP500_SPLIT_DAYS)
    whole = SP500_DAYS - window
    if per_split == expected and straddling == whole - expected:
        return (f"{expected:,} windows inside the periods; {whole - expected} windows ({window} per boundary, two "
                "boundaries) would have mixed training days with validation or test days.")
    if per_split == whole:
        raise Wrong(f"{whole:,} is the count over the whole series; make the windows per period, one make_windows "
                    "call per period")
    if per_split == sum(days - 20 for days in SP500_SPLIT_DAYS):
        raise Wrong(f"per_split is {per_split:,}, the count for 20-day windows; with window=30 each period of n days "
                    "gives n - 30")
    if per_split != expected:
        raise Wrong(f"per_split is {per_split:,}; each period of n days gives n - {window} windows (count them per "
                    "period and add up)")
    raise Wrong("per_split is right, but straddling is not: subtract the windows inside the periods from the "
                f"{whole:,} windows of the whole series")
