import collections
import math

import numpy as np
import pytest

from utils.ngram import ngram_nats, ngram_tables

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
