"""Exercises 04.1–04.2 of lesson 04, IMDB sentiment: the share of reviews cut, and padding without a mask."""

from functools import lru_cache

import numpy as np

from utils.exercises.core import Wrong, exercise, read_choice, read_mapping, read_share

FAST_TRAIN_REVIEWS = 1200  # notebook 04 loads load_imdb("train", limit=1200) in fast mode


@lru_cache(maxsize=4)
def _imdb_share_longer(max_len, limit=None):
    from utils.datasets import load_imdb

    texts = load_imdb("train", limit=limit)["text"]
    return float(np.mean([len(t.split()) > max_len for t in texts]))


def _rounded_to(share, expected):
    """The number of decimals (1 or 2) to which ``share`` is ``expected`` rounded, or None."""
    return next((k for k in (1, 2) if abs(share - round(expected, k)) < 1e-9), None)


@exercise(
    "04.1",
    question="With `MAX_LEN = 100`, what share of all 19,921 training reviews is cut, counting words as the lesson "
             "does (`len(text.split()) > MAX_LEN`)?",
    verifies="your share against the one computed from load_imdb('train') (to ±0.001: give three decimals)",
    hint="Load the whole training split, load_imdb('train') without a limit (fast mode keeps only a slice), and "
         "take np.mean([len(t.split()) > 100 for t in train['text']]).",
    # 0.881 is the share over the first 1,000 training reviews, load_imdb("train", limit=1000);
    # 0.88 is the right share rounded to two decimals (and, by chance, the exact share over fast mode's 1,200).
    wrong=[(0.881, "slice"), (0.88, "rounded"), (0.9, "rounded"), (87.6, "percentage"), (0.227, "300"),
           ("0.876", "number")],
)
def _check_04_1(answer):
    share = read_share(answer, "the share")
    expected = _imdb_share_longer(100)
    if abs(share - expected) <= 0.001:
        return (f"{expected:.3f}: at 100 tokens almost nine reviews in ten lose their beginning (truncating='pre' "
                "keeps the last words); at 300 it is about one in four.")
    decimals = _rounded_to(share, expected)
    if decimals is not None:
        also = ""
        if abs(share - _imdb_share_longer(100, FAST_TRAIN_REVIEWS)) < 1e-9:
            also = (f" It is also exactly the share over the first {FAST_TRAIN_REVIEWS:,} reviews that fast mode "
                    "loads: if that is where yours comes from, load load_imdb('train') without a limit.")
        raise Wrong(f"{share:g} is the right share rounded to {decimals} decimal{'s' if decimals > 1 else ''}; "
                    "the check needs three decimals (to ±0.001) to tell it from a nearby wrong value: give "
                    "round(share, 3)." + also)
    if abs(share - _imdb_share_longer(300)) <= 0.001:
        raise Wrong(f"{share:.3f} is the share cut at 300 tokens; the question is about MAX_LEN = 100")
    if abs(share - expected) <= 0.02:
        raise Wrong(f"{share:.3f} is close but not the share over all {19_921:,} training reviews: did you use a "
                    "slice (limit=... or fast mode)? Load load_imdb('train') without a limit")
    raise Wrong(f"{share:.3f} is not the share of training reviews longer than 100 words; count "
                "len(text.split()) > 100 over load_imdb('train')['text']")


PADDING_CHOICES = {"a": "pre-padding works like a mask: the LSTM skips the leading zeros",
                   "b": "with pre-padding the real words come last, right before the final state; the zeros come "
                        "first, while the state holds nothing yet",
                   "c": "pre-padding cuts fewer words from long reviews"}


@exercise(
    "04.2",
    question="Re-run the padding trap without a mask, once with `padding='post'` and once with `padding='pre'` "
             "(`ReviewEncoder(..., padding='pre')`). Give both validation accuracies and the reason for the "
             "difference.",
    verifies="that the accuracies are shares, and the choice of why pre-padding hides the trap (any honest "
             "accuracies pass: in fast mode the reviews are cut to 60 tokens and hardly padded at all)",
    hint="Make a second encoder with padding='pre', encode the same reviews, and train lstm_classifier(False) on "
         "them as in section 4. Then think about which steps come just before the final state the classifier "
         "sees.",
    options=PADDING_CHOICES,
    wrong=[({"post": 0.51, "pre": 0.79, "why": "a"}, "mask"), ({"post": 0.51, "pre": 0.79, "why": "c"}, "truncat"),
           ({"post": 51, "pre": 79, "why": "b"}, "percentage")],
)
def _check_04_2(answer):
    parts = read_mapping(answer, ["post", "pre", "why"], '{"post": 0.51, "pre": 0.78, "why": "b"}')
    post, pre = read_share(parts["post"], 'answer["post"]'), read_share(parts["pre"], 'answer["pre"]')
    why = read_choice(parts["why"], PADDING_CHOICES, "why")
    if why == "a":
        raise Wrong("why 'a': without a mask nothing is skipped; the LSTM reads the leading zeros too, but they "
                    "come before any word, so they have nothing to wash out")
    if why == "c":
        raise Wrong("why 'c': cutting long reviews is `truncating`, a separate setting; `padding` only decides "
                    "where the zeros of short reviews go")
    message = (f"post {post:.3f}, pre {pre:.3f}: the final state is read right after the last real word when the "
               "zeros come first. A mask fixes the trap wherever the padding goes.")
    if pre <= post:
        message += (f" Note: this run's numbers do not show the effect: pre-padding did not beat post-padding "
                    f"(pre {pre:.3f} <= post {post:.3f}). The reason is right, but these accuracies are no evidence "
                    "for it; they only say that this run could not tell the two paddings apart, as happens when "
                    "reviews are hardly padded (fast mode cuts them to 60 tokens) or training is too short. The "
                    "trap, and pre-padding's way round it, show on padded reviews, as in full mode.")
    return message
