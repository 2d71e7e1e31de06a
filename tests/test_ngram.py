import collections
import math

import numpy as np
import pytest

from utils.ngram import (
    kneser_ney_distribution,
    kneser_ney_nats,
    kneser_ney_tables,
    ngram_nats,
    ngram_tables,
    tune_kneser_ney,
)

TEXT = "abracadabra"


def add_one(train, vocabulary):
    counts = collections.Counter(train)
    total = sum(counts.values()) + len(vocabulary)
    return {ch: (counts.get(ch, 0) + 1) / total for ch in vocabulary}


def test_tables_count_grams_contexts_and_types():
    tables = ngram_tables(TEXT, 3)
    assert sorted(tables) == [1, 2]
    grams, totals, types = tables[1]
    assert grams["ab"] == 2 and grams["br"] == 2 and grams["ra"] == 2
    assert totals["a"] == 4  # "a" is followed by a character 4 times (the last "a" ends the text)
    assert types["a"] == 3  # by b, c, d
    assert tables[2][0]["abr"] == 2


def test_order_one_is_the_add_one_unigram():
    unigram_p = add_one(TEXT, "abcdr")
    nats = ngram_nats("abc", ngram_tables(TEXT, 2), 2, unigram_p=unigram_p, discount=0.75)
    assert nats.shape == (2,)
    expected = -np.mean([math.log(unigram_p[c]) for c in "abc"])
    assert nats[0] == pytest.approx(expected, rel=1e-12)


def test_bigram_by_hand():
    """p(b | a) = (max(2 - D, 0) + D * types(a) * p(b)) / n(a)."""
    unigram_p = add_one(TEXT, "abcdr")
    d = 0.5
    nats = ngram_nats("ab", ngram_tables(TEXT, 2), 2, unigram_p=unigram_p, discount=d)
    p_b_given_a = (2 - d + d * 3 * unigram_p["b"]) / 4
    expected = -(math.log(unigram_p["a"]) + math.log(p_b_given_a)) / 2  # the first character has no context
    assert nats[1] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("discount", [0.1, 0.75, 1.0])
def test_every_context_gives_a_distribution(discount):
    """Over the whole vocabulary, the conditional probabilities of a seen context sum to 1."""
    vocabulary = "abcdrz"  # "z" never occurs in training
    unigram_p = add_one(TEXT, vocabulary)
    tables = ngram_tables(TEXT, 3)
    for context in ("a", "ab", "ra"):
        total = 0.0
        order = len(context) + 1
        before = ngram_nats(context, tables, 3, unigram_p=unigram_p, discount=discount)[order - 1] * len(context)
        for ch in vocabulary:
            nats = ngram_nats(context + ch, tables, 3, unigram_p=unigram_p, discount=discount)
            total += math.exp(-(nats[order - 1] * (len(context) + 1) - before))  # p(ch | context)
        assert total == pytest.approx(1.0, abs=1e-9), context


def test_unseen_context_keeps_the_shorter_one():
    unigram_p = add_one(TEXT, "abcdrz")
    nats = ngram_nats("zz", ngram_tables(TEXT, 3), 3, unigram_p=unigram_p, discount=0.75)
    assert nats[0] == nats[1] == nats[2]


def test_longer_contexts_help_on_the_training_text():
    text = "to be or not to be " * 20
    unigram_p = add_one(text, set(text))
    nats = ngram_nats(text, ngram_tables(text, 4), 4, unigram_p=unigram_p, discount=0.75)
    assert nats[0] > nats[1] > nats[2] > nats[3] > 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"text": ""}, "text"),
        ({"text": 5}, "text"),
        ({"max_order": 0}, "max_order"),
        ({"max_order": 4}, "tables"),
        ({"discount": 0}, "discount"),
        ({"discount": 1.5}, "discount"),
        ({"discount": True}, "discount"),
        ({"unigram_p": {"a": 0.5}}, "unigram_p"),
        ({"unigram_p": {"a": 0.5, "b": 0.0}}, "unigram_p"),
        ({"unigram_p": [0.5]}, "unigram_p"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, match):
    args = {"text": "ab", "tables": ngram_tables(TEXT, 3), "max_order": 3,
            "unigram_p": add_one(TEXT, "abcdr"), "discount": 0.75} | kwargs
    with pytest.raises(ValueError, match=match):
        ngram_nats(args.pop("text"), args.pop("tables"), args.pop("max_order"), **args)


def test_tables_refuse_bad_arguments():
    with pytest.raises(ValueError, match="max_order"):
        ngram_tables(TEXT, 0)
    with pytest.raises(ValueError, match="text"):
        ngram_tables(None, 3)


# ---------------------------------------------------------------- interpolated Kneser–Ney
KN_TRAIN = "the cat sat on the mat. the hat is on the cat.\nTHE RAT.\nthat rat sat."
KN_VOCABULARY = set(KN_TRAIN) | set("zQ")  # "z" and "Q" never occur in training


def occurrences(text, gram):
    return sum(text.startswith(gram, i) for i in range(len(text) - len(gram) + 1))


def reference_probability(train, context, ch, order, discounts, vocabulary, top=True):
    """Interpolated Kneser–Ney written out from its definition, one probability at a time."""
    if order == 0:
        return 1 / len(vocabulary)
    history = context[len(context) - (order - 1):] if order > 1 else ""
    if top:  # raw counts
        def count(c):
            return occurrences(train, history + c)
    else:  # continuation counts: distinct characters seen before history + c
        def count(c):
            return len({x for x in set(train) if occurrences(train, x + history + c)})
    counts = {c: count(c) for c in vocabulary}
    total, kinds = sum(counts.values()), sum(n > 0 for n in counts.values())
    lower = reference_probability(train, history[1:] if order > 1 else "", ch, order - 1, discounts, vocabulary,
                                  top=False)
    if total == 0:
        return lower
    d = discounts[order]
    return (max(counts[ch] - d, 0) + d * kinds * lower) / total


def test_kneser_ney_tables_count_grams_and_continuations():
    tables = kneser_ney_tables("abracadabra", 3)
    ids = {ch: i for i, ch in enumerate(tables.characters)}
    assert tables.characters == "abcdr" and tables.length == 11
    assert list(tables.counts[1]) == [5, 2, 1, 1, 2]
    # "a" follows r, c, d (3 distinct), "b" follows a only, "r" follows b only
    assert tables.continuation[1][ids["a"]] == 3 and tables.continuation[1][ids["b"]] == 1
    assert tables.context_totals[0][0] == 11 and tables.context_types[0][0] == 5
    assert tables.context_totals[1][ids["a"]] == 4 and tables.context_types[1][ids["a"]] == 3
    assert "11 characters" in repr(tables)


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_kneser_ney_matches_its_definition(order):
    tables = kneser_ney_tables(KN_TRAIN, 4)
    discounts = {m: [0.3, 0.6, 0.8, 1.0][m - 1] for m in range(1, order + 1)}
    text = "the rat sat on the zQ hat."  # seen and unseen contexts, characters never seen in training
    nats = kneser_ney_nats(text, tables, order, discounts=discounts, vocabulary=KN_VOCABULARY, per_char=True)
    expected = [-math.log(reference_probability(KN_TRAIN, text[:i], text[i], min(order, i + 1), discounts,
                                                KN_VOCABULARY)) for i in range(len(text))]
    np.testing.assert_allclose(nats, expected, rtol=1e-12)
    assert kneser_ney_nats(text, tables, order, discounts=discounts, vocabulary=KN_VOCABULARY) == \
        pytest.approx(np.mean(expected), rel=1e-12)


@pytest.mark.parametrize("order", [1, 2, 4])
@pytest.mark.parametrize("context", ["", "t", "the c", "on th", "zzz", "Q t", "\nTHE"])
def test_kneser_ney_distributions_sum_to_one(order, context):
    tables = kneser_ney_tables(KN_TRAIN, 4)
    p = kneser_ney_distribution(context, tables, order, discounts=0.7, vocabulary=KN_VOCABULARY)
    assert set(p) == KN_VOCABULARY
    assert sum(p.values()) == pytest.approx(1.0, abs=1e-12)
    assert min(p.values()) > 0  # unseen characters included


def test_kneser_ney_distribution_uses_the_context_it_has():
    tables = kneser_ney_tables(KN_TRAIN, 4)
    discounts = {1: 0.3, 2: 0.6, 3: 0.8, 4: 1.0}
    for context, order in [("he", 3), ("xthe", 4), ("", 1)]:  # "he" is shorter than order 4 allows
        p = kneser_ney_distribution(context, tables, 4, discounts=discounts, vocabulary=KN_VOCABULARY)
        expected = reference_probability(KN_TRAIN, context[-3:], "t", order, discounts, KN_VOCABULARY)
        assert p["t"] == pytest.approx(expected, rel=1e-12), context


def test_kneser_ney_highest_order_uses_raw_counts_lower_orders_continuations():
    """"o" is frequent but only ever follows "x"; "b" is rarer but follows four different characters."""
    train = "xo xo xo xo xo xo ab cb db eb."
    tables = kneser_ney_tables(train, 2)
    vocabulary = set(train) | {"z"}
    unigram = kneser_ney_distribution("", tables, 1, discounts=0.5, vocabulary=vocabulary)
    assert unigram["o"] > unigram["b"]  # order 1 is the top level: raw counts, 6 against 4
    # after "z", never seen in training, order 2 falls back to level 1, which now counts continuations: 1 against 4
    after_unseen = kneser_ney_distribution("z", tables, 2, discounts=0.5, vocabulary=vocabulary)
    assert after_unseen["o"] < after_unseen["b"]


def test_tune_kneser_ney_picks_order_and_discounts_on_validation():
    train = "to be or not to be that is the question " * 30
    tables = kneser_ney_tables(train, 5)
    vocabulary = set(train) | {"!"}
    validation = "to be or not to be that is the question! " * 3
    tuned = tune_kneser_ney(tables, validation, range(1, 6), vocabulary=vocabulary)
    assert set(tuned) == {"order", "discounts", "validation_nats_by_order", "discounts_by_order"}
    nats = tuned["validation_nats_by_order"]
    assert tuned["order"] == min(nats, key=nats.get) and tuned["order"] >= 3
    assert sorted(tuned["discounts"]) == list(range(1, tuned["order"] + 1))
    assert all(0 < d <= 1 for d in tuned["discounts"].values())
    for n, discounts in tuned["discounts_by_order"].items():
        assert nats[n] == kneser_ney_nats(validation, tables, n, discounts=discounts, vocabulary=vocabulary)
    fixed = kneser_ney_nats(validation, tables, tuned["order"], discounts=0.5, vocabulary=vocabulary)
    assert nats[tuned["order"]] <= fixed + 1e-9  # the search does at least as well as a fixed guess


def test_kneser_ney_beats_absolute_discounting_on_held_out_text():
    text = TEXT * 3 + " the abracadabra bird cab crab dab " * 4
    train, held_out = text[:100], text[100:]
    vocabulary = set(text)
    tuned = tune_kneser_ney(kneser_ney_tables(train, 3), held_out, [3], vocabulary=vocabulary)
    absolute = ngram_nats(held_out, ngram_tables(train, 3), 3, unigram_p=add_one(train, vocabulary), discount=0.75)
    assert tuned["validation_nats_by_order"][3] < absolute[2]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"text": ""}, "text"),
        ({"tables": ngram_tables(TEXT, 3)}, "kneser_ney_tables"),
        ({"order": 0}, "order"),
        ({"order": 4}, "max_order"),
        ({"discounts": 0}, "discounts"),
        ({"discounts": 1.5}, "discounts"),
        ({"discounts": "0.5"}, "discounts"),
        ({"discounts": {1: 0.5}}, "levels 1"),
        ({"discounts": {1: 0.5, 2: 0.5, 3: float("nan")}}, r"discounts\[3\]"),
        ({"vocabulary": "abc"}, "training character"),
        ({"vocabulary": 5}, "vocabulary"),
        ({"vocabulary": ["ab", "c"]}, "single characters"),
        ({"text": "abz"}, "outside the vocabulary"),
        ({"per_char": "yes"}, "per_char"),
    ],
)
def test_kneser_ney_refuses_bad_arguments(kwargs, match):
    args = {"text": "abra", "tables": kneser_ney_tables(TEXT, 3), "order": 3, "discounts": 0.75,
            "vocabulary": "abcdr"} | kwargs
    with pytest.raises(ValueError, match=match):
        kneser_ney_nats(args.pop("text"), args.pop("tables"), args.pop("order"), **args)


def test_kneser_ney_tables_and_tuning_refuse_bad_arguments():
    with pytest.raises(ValueError, match="max_order"):
        kneser_ney_tables(TEXT, 0)
    with pytest.raises(ValueError, match="at least"):
        kneser_ney_tables("ab", 3)
    tables = kneser_ney_tables(TEXT, 3)
    with pytest.raises(ValueError, match="orders"):
        tune_kneser_ney(tables, "abra", 3, vocabulary="abcdr")
    with pytest.raises(ValueError, match="max_order"):
        tune_kneser_ney(tables, "abra", [2, 5], vocabulary="abcdr")
    with pytest.raises(ValueError, match="longer validation"):
        tune_kneser_ney(tables, "ab", [3], vocabulary="abcdr")
    with pytest.raises(ValueError, match="grid"):
        tune_kneser_ney(tables, "abra", [2], vocabulary="abcdr", grid=[0.5, 2])
    with pytest.raises(TypeError, match="context"):
        kneser_ney_distribution(None, tables, 2, discounts=0.5, vocabulary="abcdr")
