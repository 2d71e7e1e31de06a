"""The course's IMDB classifier and its one training recipe, shared by lessons 04, 05 and 08 and the solutions.

    model = sentiment_classifier(keras.layers.GRU(64), vocab_size=20_000)
    model, history, record = train_classifier(lambda: sentiment_classifier(keras.layers.GRU(64), vocab_size=20_000),
                                              (x_train, y_train), (x_val, y_val), (x_test, y_test), seed=0, epochs=4)

The recipe (``train_classifier``'s defaults): Adam with its default learning rate and ``clipnorm=1.0``,
binary cross-entropy, batches of 64 reviews of similar length (``utils.text.bucket_by_length``), at most
``epochs`` epochs with early stopping on validation accuracy (``patience`` epochs, best weights restored), then
one score on the test split. ``record`` is ``utils.training.fit_and_score``'s per-model entry of the results file.
"""

from dataclasses import dataclass

import keras
import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, seed_list
from utils.text import bucket_by_length
from utils.training import fit_and_score

__all__ = ["review_outcomes", "review_probabilities", "reviews_per_second", "seed_summary", "sentiment_classifier",
           "reading_curves", "tfidf_baseline", "train_classifier", "word_by_word",
           "accuracy_after_epochs", "SeedRuns", "train_seeds", "stored_outcomes"]


def sentiment_classifier(*middle, vocab_size, embedding_dim=64, max_len=None, mask_zero=True, name=None):
    """``Embedding(vocab_size, embedding_dim)`` -> the ``middle`` layers -> ``Dense(1, sigmoid)``: P(positive).

    Input: ``[batch, time]`` int32 word ids (id 0 is padding; ``mask_zero=True`` hides it from the recurrent
    layers); ``max_len=None`` accepts any length, as length-bucketed batches need. ``middle`` are layer
    instances, e.g. ``keras.layers.LSTM(64)`` or a stack ending in a layer that returns one vector per review.
    Keras draws each layer's initial weights from the global seed in the order the layers are *created*: the
    ``middle`` layers are created by the caller before the embedding.
    """
    if not middle:
        raise ValueError("middle must hold at least one layer, e.g. keras.layers.LSTM(64)")
    for layer in middle:
        if not isinstance(layer, keras.layers.Layer):
            raise ValueError(f"middle must hold Keras layers, got {describe(layer)}")
    for arg, value in (("vocab_size", vocab_size), ("embedding_dim", embedding_dim)):
        if not is_int(value) or value < 1:
            raise ValueError(f"{arg} must be a positive integer, got {describe(value)}")
    if max_len is not None and (not is_int(max_len) or max_len < 1):
        raise ValueError(f"max_len must be None or a positive integer, got {describe(max_len)}")
    return keras.Sequential([
        keras.Input((max_len,), dtype="int32"),
        keras.layers.Embedding(int(vocab_size), int(embedding_dim), mask_zero=mask_zero),
        *middle,
        keras.layers.Dense(1, activation="sigmoid"),
    ], name=name)


def train_classifier(build, train, validation, test, *, seed, epochs, patience=2, min_epochs=0, clipnorm=1.0,
                     bucketed=True, batch_size=64, verbose=2):
    """Seed, build, compile and fit a classifier with the course's recipe; score it once on ``test``.

    ``build`` is a function of no arguments that returns an uncompiled model (called after seeding, so the
    initial weights depend on ``seed`` only). ``train``, ``validation`` and ``test`` are ``(x, y)`` pairs:
    ``[n, max_len]`` post-padded word ids and ``n`` labels 0/1. ``bucketed=True`` batches reviews of similar
    length (training batches reshuffled each epoch with ``seed``; validation and test in batches of 256);
    ``bucketed=False`` feeds the padded arrays as they are. ``clipnorm=None`` trains without clipping.
    ``min_epochs`` epochs run before early stopping may end the run (see ``fit_and_score``).

    Returns ``(model, history, record)`` with the best epoch's weights restored.
    """
    if not callable(build):
        raise ValueError(f"build must be a function that returns a model, got {describe(build)}")
    if not is_int(seed):
        raise ValueError(f"seed must be an integer, got {describe(seed)}")
    if not isinstance(bucketed, bool):
        raise ValueError(f"bucketed must be True or False, got {describe(bucketed)}")
    model = _seeded_model(build, seed, clipnorm)
    if bucketed:
        splits = (bucket_by_length(*train, batch_size=batch_size, shuffle=True, seed=seed),
                  bucket_by_length(*validation, batch_size=256), bucket_by_length(*test, batch_size=256))
    else:
        splits = (train, validation, test)
    history, record = fit_and_score(model, *splits, epochs=epochs, batch_size=batch_size, patience=patience,
                                    min_epochs=min_epochs, verbose=verbose)
    return model, history, record


def _seeded_model(build, seed, clipnorm):
    """The recipe's start: seed, build (so the initial weights depend on ``seed`` only), compile with Adam."""
    keras.utils.set_random_seed(int(seed))
    model = build()
    model.compile(optimizer=keras.optimizers.Adam(clipnorm=clipnorm), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def review_probabilities(model, x, batch_size=256):
    """The model's probability of "positive" for every row of ``x`` (``[n, max_len]`` post-padded word ids), in
    the order of ``x``.

    Reviews are predicted in batches of similar length, each cut to its longest review: with post-padding and a
    mask this changes no probability, and it skips most of the padding."""
    x = np.asarray(x)
    if x.ndim != 2 or x.dtype.kind not in "iu" or len(x) == 0:
        raise ArgumentTypeError(f"x must be a non-empty [n, max_len] array of word ids, got {describe(x)}")
    if not is_int(batch_size) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {describe(batch_size)}")
    lengths = np.maximum((x != 0).sum(axis=1), 1)
    order = np.argsort(lengths, kind="stable")
    out = np.empty(len(x), dtype="float64")
    for start in range(0, len(x), batch_size):
        rows = order[start:start + batch_size]
        batch = x[rows, :int(lengths[rows].max())]
        out[rows] = np.asarray(model.predict_on_batch(batch), dtype="float64").reshape(len(rows))
    return out


def review_outcomes(model, x, y, batch_size=256):
    """1 where the model classifies a review right (probability above 0.5 for label 1, at most 0.5 for label 0),
    else 0: the per-review outcomes whose mean is the test accuracy, for ``utils.verdicts.compare(items=...)``."""
    y = np.asarray(y)
    if y.shape != (len(np.asarray(x)),) or not np.isin(y, (0, 1)).all():
        raise ValueError(f"y must hold one label 0 or 1 per review, got {describe(y)}")
    return ((review_probabilities(model, x, batch_size) > 0.5).astype(int) == y).astype(int)


def tfidf_baseline(train_texts, train_labels, val_texts, val_labels, grid=(1.0, 4.0, 16.0)):
    """The classic baseline: TF-IDF of words and word pairs, then logistic regression with its ``C`` chosen on the
    validation reviews (never the test ones). Returns ``(vectorizer, fitted model, best C, {C: validation
    accuracy})``; the vocabulary comes from the training texts only."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    if isinstance(grid, str) or not hasattr(grid, "__iter__") or not list(grid):
        raise ValueError(f"grid must be a non-empty list of C values, got {describe(grid)}")
    if len(train_texts) != len(train_labels) or len(val_texts) != len(val_labels):
        raise ValueError("each split needs one label per text")
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=200_000,
                                 sublinear_tf=True)  # sublinear_tf: 1 + log(count) instead of count
    features = vectorizer.fit_transform(train_texts)
    val_features = vectorizer.transform(val_texts)
    fits = {c: LogisticRegression(C=c, max_iter=2000).fit(features, train_labels) for c in grid}
    scores = {c: float(fit.score(val_features, val_labels)) for c, fit in fits.items()}
    best_c = max(scores, key=scores.get)
    return vectorizer, fits[best_c], best_c, scores


def reviews_per_second(x, y, *, vocab_size, bucketed, batch_size=64, seed=0):
    """Training speed of a small masked LSTM classifier over the reviews ``x``: one warm-up pass (tracing), then
    one timed pass, either in length-bucketed batches or padded as they are. Returns reviews per second."""
    from utils.measure import Measure

    if not isinstance(bucketed, bool):
        raise ValueError(f"bucketed must be True or False, got {describe(bucketed)}")
    keras.utils.set_random_seed(seed)
    model = sentiment_classifier(keras.layers.LSTM(64), vocab_size=vocab_size)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    if bucketed:
        data = bucket_by_length(x, y, batch_size=batch_size)
        fit = lambda: model.fit(data, shuffle=False, verbose=0)  # noqa: E731
    else:
        fit = lambda: model.fit(x, y, batch_size=batch_size, verbose=0)  # noqa: E731
    fit()
    with Measure() as timing:
        fit()
    return len(x) / timing.seconds


def word_by_word(model, ids):
    """What a trained classifier (Embedding -> one recurrent layer -> Dense) would answer after each word of one
    review: the probability of "positive" after word 1, 2, ... ``ids`` are the review's word ids. The recurrent
    layer is rebuilt with ``return_sequences=True`` and the same weights, so one pass gives every step."""
    if len(model.layers) != 3:
        raise ValueError(f"model must be Embedding -> recurrent layer -> Dense, got {len(model.layers)} layers")
    ids = np.asarray(ids)[None]
    embedding, cell, head = model.layers
    sequence = type(cell).from_config({**cell.get_config(), "return_sequences": True})
    sequence.build((None, None, embedding.output_dim))
    sequence.set_weights(cell.get_weights())
    return keras.ops.convert_to_numpy(head(sequence(embedding(ids))))[0, :, 0]


def seed_summary(records):
    """One cell's entry of the results file from its per-seed ``train_classifier`` records: means over seeds,
    and per seed the epochs, best epoch, seconds per epoch and test accuracy."""
    if not records:
        raise ValueError("records must hold one train_classifier record per seed")
    accuracies = [r["test"]["accuracy"] for r in records]
    return {"params": records[0]["params"], "epochs": [r["epochs"] for r in records],
            "best_epoch": [r["best_epoch"] for r in records],
            "train_seconds": float(np.mean([r["train_seconds"] for r in records])),
            "seconds_per_epoch_seeds": [r["seconds_per_epoch"] for r in records],
            "seconds_per_epoch": float(np.mean([r["seconds_per_epoch"] for r in records])),
            "peak_memory_mb": max(r["peak_memory_mb"] for r in records),
            "test_accuracy_seeds": accuracies, "test": {"accuracy": float(np.mean(accuracies))}}


@dataclass
class SeedRuns:
    """What :func:`train_seeds` returns: per seed the trained model and its Keras history, the 1/0 outcomes on
    the test reviews as one ``[seeds, reviews]`` array, and the model's entry of the results file."""

    models: list
    histories: list
    outcomes: np.ndarray
    entry: dict


def train_seeds(build, train, validation, test, *, seeds, epochs, patience=2, batch_size=64, name=None):
    """:func:`train_classifier` once per seed, the test reviews' outcomes kept (``review_outcomes``).

    ``name`` prints one line per seed (validation accuracy per epoch, best epoch, test accuracy, seconds).
    Returns :class:`SeedRuns`; its ``entry`` is :func:`seed_summary` plus ``seeds``, ``batch_size`` and each seed's
    ``curves`` (``[training seconds so far, validation accuracy]`` per epoch)."""
    seeds = seed_list(seeds)
    if name is not None and not isinstance(name, str):
        raise ArgumentTypeError(f"name must be a string or None, got {describe(name)}")
    models, histories, records, outcomes = [], [], [], []
    for seed in seeds:
        model, history, record = train_classifier(build, train, validation, test, seed=seed, epochs=epochs,
                                                  patience=patience, batch_size=batch_size, verbose=0)
        models.append(model)
        histories.append(history)
        records.append(record)
        outcomes.append(review_outcomes(model, *test))
        if name:
            print(f"{name}, seed {seed}: validation accuracy per epoch "
                  + " ".join(f"{a:.3f}" for _, a in record["curve"])
                  + f"; best epoch {record['best_epoch']} of {record['epochs']}, test accuracy "
                  f"{record['test']['accuracy']:.3f}, {record['train_seconds']:.0f} s")
    entry = seed_summary(records) | {"seeds": seeds, "batch_size": int(batch_size),
                                     "curves": [r["curve"] for r in records]}
    return SeedRuns(models, histories, np.array(outcomes), entry)


def stored_outcomes(stored, key, n_items):
    """``stored[key]`` (per-item outcomes from ``utils.predictions.load_predictions``) when it covers ``n_items``
    items, else None: another run mode or another test split cannot be paired item by item."""
    if not isinstance(stored, dict):
        raise ArgumentTypeError(f"stored must be the dict load_predictions returns, got {describe(stored)}")
    if not is_int(n_items) or n_items < 1:
        raise ValueError(f"n_items must be a positive integer, got {describe(n_items)}")
    items = stored.get(key)
    return items if items is not None and np.shape(items)[-1] == n_items else None


def reading_curves(models, encode, text, baseline=None):
    """Word by word, what each model would answer if ``text`` stopped there: ``(words, {name: P(positive) after
    each word})``. ``models``: ``{name: trained classifier}`` (see :func:`word_by_word`); ``encode``: the
    lesson's ``ReviewEncoder``; ``baseline``: an optional ``(vectorizer, fitted model)`` pair, such as TF-IDF with
    logistic regression, which classifies each prefix of the text instead."""
    ids = encode.ids(text)
    words = [encode.vocabulary[i] for i in ids]
    curves = {name: word_by_word(model, ids) for name, model in models.items()}
    if baseline is not None:
        vectorizer, fit = baseline
        prefixes = [" ".join(words[:k + 1]) for k in range(len(words))]
        curves["tfidf_logreg (prefixes)"] = fit.predict_proba(vectorizer.transform(prefixes))[:, 1]
    return words, curves


def accuracy_after_epochs(build, train, validation, *, seed, epochs, batch_size=64):
    """Train with the recipe of :func:`train_classifier` (same seeding, optimizer and length-bucketed batches) for
    exactly ``epochs`` epochs, with no early stopping and no look at ``validation`` on the way; then return the
    accuracy on ``validation`` once. For comparing runs at an equal number of updates, with nothing chosen on the
    set that scores them."""
    if not callable(build):
        raise ValueError(f"build must be a function that returns a model, got {describe(build)}")
    if not is_int(seed) or not is_int(epochs) or epochs < 1:
        raise ValueError(f"seed must be an integer and epochs a positive integer, got {describe(seed)} and "
                         f"{describe(epochs)}")
    model = _seeded_model(build, seed, clipnorm=1.0)
    model.fit(bucket_by_length(*train, batch_size=batch_size, shuffle=True, seed=seed), epochs=int(epochs),
              shuffle=False, verbose=0)  # the dataset reshuffles itself each epoch
    return float(model.evaluate(bucket_by_length(*validation, batch_size=256), verbose=0)[1])
