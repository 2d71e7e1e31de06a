"""Shared code added for lessons 03 and 04: counts of solved seeds (Fisher's exact test), early stopping that
cannot stop too early, per-review and per-sequence outcomes, and the claims decided from them."""

import numpy as np
import pytest

from utils.claims import Evidence, decide_c5, decide_c14
from utils.verdicts import compare, compare_counts, correct

keras = pytest.importorskip("keras")

from utils.memory_task import accuracy, best_relabelling, build, recall_outcomes  # noqa: E402
from utils.sentiment import review_outcomes, review_probabilities, sentiment_classifier  # noqa: E402
from utils.training import MinEpochsEarlyStopping, fit_and_score  # noqa: E402


# ------------------------------------------------------------------------------------------ compare_counts
@pytest.mark.parametrize(("a", "b", "p", "outcome"), [((5, 5), (0, 5), 0.0079, "A better"),
                                                       ((5, 5), (1, 5), 0.0476, "A better"),
                                                       ((5, 5), (2, 5), 0.1667, "not decided"),
                                                       ((0, 5), (5, 5), 0.0079, "B better"),
                                                       ((5, 5), (5, 5), 1.0, "not decided"),
                                                       ((3, 3), (0, 3), 0.1, "not decided")])
def test_compare_counts_is_fishers_exact_test(a, b, p, outcome):
    c = compare_counts(a, b, names=("lstm", "simple_rnn"))
    assert c.p_value == pytest.approx(p, abs=1e-4)
    assert c.outcome == outcome and not c.equivalent
    assert f"{a[0]}/{a[1]} vs {b[0]}/{b[1]}" in c.describe() and "Fisher" in c.describe()


def test_compare_counts_never_reads_equal_counts_as_a_tie():
    assert compare_counts((5, 5), (5, 5)).verdict == "not decided"


def test_holm_over_counts_widens_and_keeps_t_comparisons_working():
    family = correct([compare_counts((5, 5), (1, 5), names=("a", "b")),
                      compare_counts((5, 5), (0, 5), names=("a", "c")),
                      compare([0.80, 0.82, 0.81], [0.70, 0.71, 0.69], names=("x", "y"))])
    assert all(c.family == 3 for c in family)
    assert family[0].p_value == pytest.approx(0.0476, abs=1e-4)  # the largest p: not multiplied
    assert family[1].p_value == pytest.approx(2 * 0.0079, abs=2e-4)
    assert family[2].low is not None and family[2].better == "x"
    five = correct([compare_counts((5, 5), (0, 5)) for _ in range(7)])
    assert all(c.outcome == "not decided" for c in five)  # 7 x 0.0079 > 0.05: five seeds cannot decide 7


@pytest.mark.parametrize("bad", [(6, 5), (-1, 5), (1, 0), (1.0, 5), (True, 5), "3/5", 3, (1, 2, 3)])
def test_compare_counts_refuses_what_is_not_a_count(bad):
    with pytest.raises(ValueError, match="successes, runs"):
        compare_counts(bad, (1, 5))


def test_compare_counts_false_alarms_stay_under_five_percent():
    rng = np.random.default_rng(0)
    decided = 0
    for _ in range(2000):
        share = rng.uniform(0.05, 0.95)
        a, b = rng.binomial(5, share), rng.binomial(5, share)
        decided += compare_counts((int(a), 5), (int(b), 5)).better is not None
    assert decided / 2000 <= 0.05


# ------------------------------------------------------------------------------------------ claims
def _regimes(lstm, simple):
    return {"memory_span": {"regimes": {"curriculum": {"lstm": lstm, "simple_rnn": simple}}}}


def test_c5_compares_solve_counts_from_twenty_steps_on():
    lstm = {"5": [1.0] * 5, "20": [1.0] * 5, "200": [1.0] * 5}
    simple = {"5": [1.0, 0.99, 1.0, 1.0, 0.99], "20": [1.0] * 5, "200": [0.0, 0.05, 1.0, 0.1, 0.0]}
    record = decide_c5(Evidence("full", results=_regimes(lstm, simple), predictions={}))
    parts = {p["part"]: p for p in record["parts"]}
    assert list(parts) == ["curriculum: below 20 steps the SimpleRNN does as well",
                           "curriculum: from 20 steps the LSTM wins"]  # one part per sentence and regime
    below, above = parts.values()
    assert below["verdict"] == "holds" and "equivalent within ±0.05" in below["evidence"]
    assert "T = 20: " in above["evidence"] and "5/5 vs 5/5" in above["evidence"]
    assert "T = 200: " in above["evidence"] and "5/5 vs 1/5" in above["evidence"]
    assert above["evidence"].count("Holm over 2") == 2  # its family: the distances from 20 steps on
    assert above["verdict"] == "not decided"  # equal counts at 20, 5/5 vs 1/5 not enough after Holm
    assert "the smallest gap this design can detect" in above["evidence"]


def test_c5_counts_only_the_seeds_tried_at_a_distance():
    lstm = {"20": [0.2, 0.1, 0.15, 0.3, 0.25], "50": [None] * 5, "100": [None] * 5}
    simple = {"20": [1.0] * 5, "50": [1.0] * 5, "100": [0.95, 0.97, None, 1.0, 0.4]}
    record = decide_c5(Evidence("full", results={"memory_span": {"regimes": {"from_scratch": {
        "lstm": lstm, "simple_rnn": simple}}}}, predictions={}))
    (part,) = record["parts"]
    assert part["part"] == "from_scratch: from 20 steps the LSTM wins"
    assert "0/5 vs 5/5" in part["evidence"]  # T = 20, the only distance both were tried at
    assert "0/0" not in part["evidence"] and "T = 50: " not in part["evidence"]
    assert "lstm from scratch: T = 50, 100 not tried (every seed failed T = 20 first)" in part["evidence"]
    assert part["verdict"] == "does not hold" and record["verdict"] == "does not hold"
    partly = decide_c5(Evidence("full", results={"memory_span": {"regimes": {"curriculum": {
        "lstm": {"100": [1.0, 1.0, 1.0, None, None]}, "simple_rnn": {"100": [1.0, 0.2, 0.1, 0.0, 0.3]}}}}},
        predictions={}))["parts"][0]
    assert "3/3 vs 1/5" in partly["evidence"] and "[lstm: 2 of 5 seeds not tried]" in partly["evidence"]


def test_c5_a_regime_tried_at_no_common_distance_is_not_tried():
    record = decide_c5(Evidence("full", results={"memory_span": {"regimes": {"from_scratch": {
        "lstm": {"50": [None] * 3}, "simple_rnn": {"50": [1.0, 1.0, 1.0]}}}}}, predictions={}))
    (part,) = record["parts"]
    assert part["verdict"] == "not tried" and "not tried (no seed was run)" in part["evidence"]
    assert record["verdict"] == "not decided"  # a claim is never "not tried"


def test_c14_pairs_each_size_with_its_own_stored_reviews():
    rng = np.random.default_rng(1)
    seeds = {"lstm": {"1000": [0.78, 0.79, 0.77], "19921": [0.87, 0.88, 0.87]},
             "simple_rnn": {"1000": [0.76, 0.80, 0.75], "19921": [0.85, 0.86, 0.84]}}
    items = {key: (rng.random((3, 500)) < 0.8).astype(float)
             for key in ("lstm", "simple_rnn", "lstm_n1000", "simple_rnn_n1000")}
    with_items = decide_c14(Evidence("full", results={"sentiment": {"data_size_seeds": seeds}},
                                     predictions={"sentiment": items}))
    without = decide_c14(Evidence("full", results={"sentiment": {"data_size_seeds": seeds}},
                                  predictions={"sentiment": {}}))
    assert all("500 paired items" in p["evidence"] for p in with_items["parts"])
    assert all("test items not counted" in p["evidence"] for p in without["parts"])


# ------------------------------------------------------------------------------------------ training
def _data(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 5, 3)).astype("float32")
    return x, (x[:, :, 0].sum(axis=1) > 0).astype("float32")


def _model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5, 3)), keras.layers.GRU(4), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_min_epochs_keeps_training_but_may_still_choose_an_early_epoch():
    # validation = random labels: no real improvement, so patience 0 would stop after epoch 2
    x_val, _ = _data(32, 1)
    noise = (np.random.default_rng(5).random(32) < 0.5).astype("float32")
    history, record = fit_and_score(_model(), _data(64, 0), (x_val, noise), (x_val, noise), epochs=6,
                                    batch_size=16, patience=0, min_epochs=5, verbose=0)
    assert record["epochs"] >= 5
    assert record["best_epoch"] == int(np.argmax(history.history["val_accuracy"])) + 1
    assert record["test"]["accuracy"] == pytest.approx(max(history.history["val_accuracy"]))


def test_min_epochs_early_stopping_never_stops_before_its_minimum():
    stop = MinEpochsEarlyStopping(3, monitor="val_accuracy", patience=0, mode="max")
    stop.set_model(_model())
    stop.on_train_begin()
    for epoch, value in enumerate((0.6, 0.5, 0.5, 0.5)):
        stop.on_epoch_end(epoch, {"val_accuracy": value})
        assert stop.model.stop_training == (epoch + 1 >= 3 and epoch > 0)


# ------------------------------------------------------------------------------------------ outcomes
def test_review_outcomes_match_padded_predictions_in_the_original_order():
    keras.utils.set_random_seed(0)
    model = sentiment_classifier(keras.layers.GRU(4), vocab_size=50, embedding_dim=4)
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 20, 40)
    x = np.zeros((40, 20), dtype="int32")
    for i, n in enumerate(lengths):
        x[i, :n] = rng.integers(2, 50, n)
    y = rng.integers(0, 2, 40)
    padded = model.predict(x, verbose=0)[:, 0]
    assert np.allclose(review_probabilities(model, x, batch_size=7), padded, atol=1e-5)
    assert np.array_equal(review_outcomes(model, x, y, batch_size=7), ((padded > 0.5) == y).astype(int))


@pytest.mark.parametrize("bad", [np.zeros((0, 5), dtype=int), np.zeros(5, dtype=int), np.zeros((3, 5))])
def test_review_probabilities_refuses_what_is_not_word_ids(bad):
    with pytest.raises(TypeError, match="word ids"):
        review_probabilities(None, bad)


def test_review_outcomes_refuses_labels_that_do_not_fit():
    with pytest.raises(ValueError, match="label"):
        review_outcomes(None, np.ones((3, 4), dtype=int), [0, 1])


def test_recall_outcomes_are_what_accuracy_scores():
    model = build(keras.layers.SimpleRNN, seed=0, jit_compile=False)
    predicted, true = recall_outcomes(model, lag=5, seed=7, n=64)
    assert predicted.shape == true.shape == (64, 1)
    assert np.mean(predicted == true) == pytest.approx(accuracy(model, lag=5, seed=7, n=64))


def test_best_relabelling_tells_a_renamed_token_from_a_guess():
    true = np.random.default_rng(0).integers(0, 8, 2000)
    assert best_relabelling((true + 3) % 8, true) == 1.0
    assert best_relabelling(true, true) == 1.0
    assert best_relabelling(np.random.default_rng(1).integers(0, 8, 2000), true) < 0.25
    with pytest.raises(ValueError, match="one shape"):
        best_relabelling([1, 2], [1])


def test_seed_summary_means_the_seeds_and_keeps_each():
    from utils.sentiment import seed_summary

    records = [{"params": 10, "epochs": e, "best_epoch": b, "train_seconds": s, "seconds_per_epoch": s / e,
                "peak_memory_mb": m, "test": {"accuracy": a}}
               for e, b, s, m, a in ((4, 4, 40.0, 900, 0.8), (3, 1, 30.0, 950, 0.9))]
    summary = seed_summary(records)
    assert summary["test"]["accuracy"] == pytest.approx(0.85) and summary["test_accuracy_seeds"] == [0.8, 0.9]
    assert summary["best_epoch"] == [4, 1] and summary["peak_memory_mb"] == 950
    assert summary["train_seconds"] == pytest.approx(35.0)
    with pytest.raises(ValueError):
        seed_summary([])


def test_tfidf_baseline_chooses_c_on_validation_and_refuses_mismatched_splits():
    from utils.sentiment import tfidf_baseline

    texts = ["good great fine", "bad awful poor", "great good", "awful bad"] * 5
    labels = [1, 0, 1, 0] * 5
    vectorizer, fit, best_c, scores = tfidf_baseline(texts, labels, texts[:4], labels[:4], grid=(0.1, 1.0))
    assert best_c in (0.1, 1.0) and scores[best_c] == max(scores.values())
    assert fit.predict(vectorizer.transform(["good great"]))[0] == 1
    with pytest.raises(ValueError):
        tfidf_baseline(texts, labels[:-1], texts, labels)
    with pytest.raises(ValueError):
        tfidf_baseline(texts, labels, texts, labels, grid=())


def test_small_lstm_is_lesson_02s_model():
    from utils.lstm_gates import small_lstm

    model = small_lstm(vocab_size=100, seq_len=20)
    assert model.count_params() == 100 * 32 + 4 * (32 * 32 + 32 * 32 + 32) + 33
    with pytest.raises(ValueError):
        small_lstm(vocab_size=0)
