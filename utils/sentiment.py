"""The course's IMDB classifier and its one training recipe, shared by lessons 04, 05 and 08 and the solutions.

    model = sentiment_classifier(keras.layers.GRU(64), vocab_size=20_000)
    model, history, record = train_classifier(lambda: sentiment_classifier(keras.layers.GRU(64), vocab_size=20_000),
                                              (x_train, y_train), (x_val, y_val), (x_test, y_test), seed=0, epochs=4)

The recipe (``train_classifier``'s defaults): Adam with its default learning rate and ``clipnorm=1.0``,
binary cross-entropy, batches of 64 reviews of similar length (``utils.text.bucket_by_length``), at most
``epochs`` epochs with early stopping on validation accuracy (``patience`` epochs, best weights restored), then
one score on the test split. ``record`` is ``utils.training.fit_and_score``'s per-model entry of the results file.
"""

import keras
import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int
from utils.text import bucket_by_length
from utils.training import fit_and_score

__all__ = ["review_outcomes", "review_probabilities", "sentiment_classifier", "train_classifier"]


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
    keras.utils.set_random_seed(int(seed))
    model = build()
    model.compile(optimizer=keras.optimizers.Adam(clipnorm=clipnorm), loss="binary_crossentropy",
                  metrics=["accuracy"])
    if bucketed:
        splits = (bucket_by_length(*train, batch_size=batch_size, shuffle=True, seed=seed),
                  bucket_by_length(*validation, batch_size=256), bucket_by_length(*test, batch_size=256))
    else:
        splits = (train, validation, test)
    history, record = fit_and_score(model, *splits, epochs=epochs, batch_size=batch_size, patience=patience,
                                    min_epochs=min_epochs, verbose=verbose)
    return model, history, record


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
