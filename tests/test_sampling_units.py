"""Sampling beyond temperature (utils.sampling) and hidden-unit monitoring (utils.units, plot_unit_activations)."""

import matplotlib
import matplotlib.pyplot
import numpy as np
import pytest

matplotlib.use("Agg")

from utils.plots import plot_unit_activations  # noqa: E402
from utils.sampling import next_id, next_probabilities  # noqa: E402
from utils.units import best_units, text_features, tracking_summary, unit_correlations  # noqa: E402

LOGITS = np.log([0.5, 0.3, 0.15, 0.05])
PLAY = ("ACT I.\n\n[Enter LEONATO and MRS. PAGE.]\n\nLEONATO.\nI learn in this letter (he said) that \"Don\"\n"
        "comes this night.\n\nMRS. PAGE. [Aside.]\nHe is very near.\n")


# ---------------------------------------------------------------- sampling
def test_plain_sampling_is_the_softmax():
    np.testing.assert_allclose(next_probabilities(LOGITS), [0.5, 0.3, 0.15, 0.05], rtol=1e-12)
    p = next_probabilities(LOGITS, temperature=0.5)  # squared, renormalised
    np.testing.assert_allclose(p, np.array([0.25, 0.09, 0.0225, 0.0025]) / 0.365, rtol=1e-12)


def test_top_k_one_and_tiny_top_p_are_greedy():
    rng = np.random.default_rng(0)
    logits = np.array([0.1, 2.0, 1.9, -3.0])
    assert {next_id(logits, rng, top_k=1) for _ in range(50)} == {1}
    assert {next_id(logits, rng, top_p=1e-9, temperature=5.0) for _ in range(50)} == {1}


def test_top_k_and_top_p_keep_the_likeliest_and_renormalise():
    np.testing.assert_allclose(next_probabilities(LOGITS, top_k=2), [0.625, 0.375, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(next_probabilities(LOGITS, top_p=0.8), [0.625, 0.375, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(next_probabilities(LOGITS, top_p=0.81), [0.5, 0.3, 0.15, 0] / np.float64(0.95))
    np.testing.assert_allclose(next_probabilities(LOGITS, top_p=1.0), [0.5, 0.3, 0.15, 0.05], rtol=1e-12)
    # top-p applies to what top-k kept: of [0.625, 0.375], 0.6 needs only the first
    np.testing.assert_allclose(next_probabilities(LOGITS, top_k=2, top_p=0.6), [1, 0, 0, 0])
    assert next_probabilities(LOGITS, top_k=10).sum() == pytest.approx(1.0)


def test_samples_follow_the_distribution():
    rng = np.random.default_rng(42)
    draws = np.array([next_id(LOGITS, rng) for _ in range(10_000)])
    shares = np.bincount(draws, minlength=4) / len(draws)
    np.testing.assert_allclose(shares, [0.5, 0.3, 0.15, 0.05], atol=0.02)  # 4 standard errors at most
    draws = np.array([next_id(LOGITS, rng, top_k=3) for _ in range(10_000)])
    shares = np.bincount(draws, minlength=4) / len(draws)
    np.testing.assert_allclose(shares, np.array([0.5, 0.3, 0.15, 0]) / 0.95, atol=0.02)
    assert isinstance(next_id(LOGITS, rng), int)


def test_same_seed_same_draws():
    first = [next_id(LOGITS, np.random.default_rng(7), top_p=0.9) for _ in range(5)]
    assert first == [next_id(LOGITS, np.random.default_rng(7), top_p=0.9) for _ in range(5)]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"temperature": 0}, "temperature"),
        ({"temperature": -1.0}, "temperature"),
        ({"temperature": float("nan")}, "temperature"),
        ({"temperature": "hot"}, "temperature"),
        ({"top_k": 0}, "top_k"),
        ({"top_k": 2.5}, "top_k"),
        ({"top_k": True}, "top_k"),
        ({"top_p": 0}, "top_p"),
        ({"top_p": 1.5}, "top_p"),
        ({"logits": np.zeros((2, 3))}, "1-D"),
        ({"logits": []}, "1-D"),
        ({"logits": [0.0, float("nan")]}, "NaN"),
        ({"logits": [0.0, float("inf")]}, "infinite"),
        ({"logits": "abc"}, "logits"),
        ({"rng": 0}, "Generator"),
    ],
)
def test_sampling_refuses_bad_input(kwargs, match):
    args = {"logits": LOGITS, "rng": np.random.default_rng(0)} | kwargs
    with pytest.raises(ValueError, match=match):
        next_id(args.pop("logits"), args.pop("rng"), **args)


# ---------------------------------------------------------------- features of the text
def test_features_describe_the_state_after_each_character():
    features = text_features(PLAY)
    assert all(values.shape == (len(PLAY),) for values in features.values())

    def marked(name):
        return "".join(ch for ch, v in zip(PLAY, features[name]) if v)

    assert marked("inside brackets") == "[Enter LEONATO and MRS. PAGE.(he said[Aside."
    assert marked("inside quotes") == '"Don'
    assert marked("in a speaker's name") == "LEONATO.MRS. PAGE."  # not "ACT I."
    line = PLAY.index("I learn")
    assert list(features["position in line"][line - 1:line + 3]) == [0, 1, 2, 3]  # 0 right after the newline
    assert list(features["position in word"][line:line + 8]) == [1, 0, 1, 2, 3, 4, 5, 0]
    assert marked("after a space") == " " * PLAY.count(" ")
    assert marked("vowel") == "".join(ch for ch in PLAY if ch in "aeiouAEIOU")
    assert marked("capital letter") == "".join(ch for ch in PLAY if ch.isupper())


def test_a_blank_line_closes_an_unclosed_bracket():
    features = text_features("[Exit\n\nHERO.\nYes.")
    assert features["inside brackets"].tolist()[:7] == [1, 1, 1, 1, 1, 1, 0]  # the second newline closes it
    assert not features["inside brackets"][7:].any()


# ---------------------------------------------------------------- correlations
def synthetic_states():
    features = text_features(PLAY * 3)
    rng = np.random.default_rng(0)
    n = len(PLAY) * 3
    states = rng.normal(size=(n, 6))
    states[:, 2] = features["inside brackets"]  # a unit that is the feature
    states[:, 4] = -0.5 * features["position in line"] + 3  # one that tracks it with the opposite sign
    states[:, 5] = 0.25  # a dead unit
    return states, features


def test_a_unit_equal_to_a_feature_is_found_with_r_one():
    states, features = synthetic_states()
    corr = unit_correlations(states, features)
    assert corr.shape == (6, len(features)) and corr.index.name == "unit"
    assert list(corr.columns) == list(features)
    best = best_units(corr, threshold=0.5)
    assert best.at["inside brackets", "unit"] == 2
    assert best.at["inside brackets", "r"] == pytest.approx(1.0)
    assert best.at["position in line", "unit"] == 4
    assert best.at["position in line", "r"] == pytest.approx(-1.0)
    assert (corr.loc[5] == 0).all()  # a constant unit correlates with nothing
    expected = np.corrcoef(states[:, 0], features["vowel"])[0, 1]
    assert corr.at[0, "vowel"] == pytest.approx(expected, abs=1e-12)


def test_tracking_summary_counts_units_over_the_threshold():
    states, features = synthetic_states()
    corr = unit_correlations(states, features)
    summary = tracking_summary(corr, threshold=0.5)
    assert summary["units"] == 6 and summary["threshold"] == 0.5
    # units 2 and 4, plus any random unit over 0.5 by chance (none with this many characters)
    assert summary["units tracking a feature"] == 2 and summary["share"] == pytest.approx(2 / 6)
    assert best_units(corr, 0.5).at["inside brackets", "units with |r| >= 0.5"] >= 1


def test_unit_tools_refuse_bad_input():
    states, features = synthetic_states()
    with pytest.raises(ValueError, match="states\\[0\\]"):
        unit_correlations(states[None], features)
    with pytest.raises(ValueError, match="one value per character"):
        unit_correlations(states[:-1], features)
    with pytest.raises(TypeError, match="features"):
        unit_correlations(states, [1, 2])
    with pytest.raises(ValueError, match="NaN"):
        unit_correlations(np.full((3, 2), np.nan), {"a": [1, 2, 3]})
    corr = unit_correlations(states, features)
    with pytest.raises(ValueError, match="threshold"):
        best_units(corr, threshold=0)
    with pytest.raises(TypeError, match="corr"):
        tracking_summary(corr.to_numpy())
    with pytest.raises(TypeError, match="text"):
        text_features("")


# ---------------------------------------------------------------- plot
def test_plot_unit_activations_draws_every_character():
    text = "HERO.\nA word, a line.\n"
    ax = plot_unit_activations(text, np.linspace(-1, 1, len(text)), title="unit 7", width=8)
    drawn = [t.get_text() for t in ax.texts]
    assert "".join(drawn) == text.replace(" ", "").replace("\n", "¶")
    image = ax.get_images()[0].get_array()
    assert image.shape == (3, 8)  # rows "HERO.¶", "A word, " (wrapped at 8 characters), "a line.¶"
    assert ax.get_title() == "unit 7"
    matplotlib.pyplot.close(ax.figure)


def test_plot_unit_activations_refuses_bad_input():
    with pytest.raises(ValueError, match="one value per character"):
        plot_unit_activations("abc", [1.0, 2.0])
    with pytest.raises(ValueError, match="max_chars"):
        plot_unit_activations("a" * 20, np.zeros(20), max_chars=10)
    with pytest.raises(ValueError, match="limit"):
        plot_unit_activations("abc", np.zeros(3), limit=0)
    with pytest.raises(TypeError, match="ax"):
        plot_unit_activations("abc", np.zeros(3), ax="left")
