"""Attention pooling: a learned weighted average of a recurrent layer's states (lesson 08 and exercise 08.2).

    model = sentiment_classifier(keras.layers.LSTM(64, return_sequences=True), AttentionPooling(name="attention"),
                                 vocab_size=20_000)
    weights_model = attention_weights_model(model)  # word ids -> each review's attention weights
    plot_attention_examples(model, weights_model, x_test, y_test, vocabulary, [491, 1804])  # bars per word
    summary = attention_spread(weights, x_test)  # how far the weights are from a plain average
    print(spread_text(summary))
"""

import keras
import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, numeric_array

__all__ = ["AttentionPooling", "attention_spread", "attention_weights_model", "plot_attention_examples",
           "spread_text"]


class AttentionPooling(keras.layers.Layer):
    """Score each time step, softmax over the real (unmasked) steps; return the weighted sum of the states.

    Input: states ``[batch, time, units]`` (a recurrent layer with ``return_sequences=True``) and the mask of
    the embedding below it. Output: ``pooled [batch, units]``. :meth:`attention` gives the weights ``[batch,
    time]``: a review's weights sum to 1 over its real words and are ~0 on padding. One ``Dense(1,
    use_bias=False)`` scores ``tanh(state)``, so the layer adds ``units`` parameters.
    """

    def build(self, input_shape):
        self.score = keras.layers.Dense(1, use_bias=False)
        self.score.build(input_shape)

    def attention(self, states, mask=None):
        """The weights ``[batch, time]``: a softmax of the scores over the steps where ``mask`` is True."""
        scores = self.score(keras.ops.tanh(states))[..., 0]  # [batch, time]
        if mask is not None:
            scores = keras.ops.where(mask, scores, -1e9)
        return keras.ops.softmax(scores, axis=-1)

    def call(self, states, mask=None):
        weights = self.attention(states, mask)
        return keras.ops.sum(states * weights[..., None], axis=1)

    def compute_mask(self, inputs, mask=None):
        return None


def attention_weights_model(model) -> keras.Model:
    """A model from word ids ``[batch, time]`` (id 0 = padding) to the attention weights ``[batch, time]`` of
    ``model``'s :class:`AttentionPooling` layer, sharing ``model``'s trained layers.

    ``model`` is a classifier whose layers run in order up to the pooling, as ``utils.sentiment.sentiment_classifier``
    builds it (an ``Embedding`` with ``mask_zero=True``, a recurrent layer with ``return_sequences=True``, then
    ``AttentionPooling``); the mask is the word ids that are not 0."""
    layers = getattr(model, "layers", None)
    if not isinstance(model, keras.Model) or not layers:
        raise ArgumentTypeError(f"model must be a Keras model with an AttentionPooling layer, got {describe(model)}")
    pooling = next((i for i, layer in enumerate(layers) if isinstance(layer, AttentionPooling)), None)
    if pooling is None:
        raise ValueError(f"model {model.name!r} has no AttentionPooling layer (its layers: "
                         f"{', '.join(layer.name for layer in layers)})")
    inputs = keras.Input((None,), dtype="int32")
    states = inputs
    for layer in layers[:pooling]:
        if not isinstance(layer, keras.layers.InputLayer):  # a functional model lists its input first
            states = layer(states)
    return keras.Model(inputs, layers[pooling].attention(states, keras.ops.not_equal(inputs, 0)),
                       name=f"{model.name}_attention_weights")


def _ids(ids, name="ids") -> np.ndarray:
    """Word ids ``[reviews, time]`` (0 = padding) as an integer array."""
    array = numeric_array(ids, name)
    if array.ndim != 2 or 0 in array.shape or (array < 0).any() or (array != np.round(array)).any():
        raise ValueError(f"{name} must be word ids [reviews, time] (whole numbers >= 0, 0 = padding), got an array "
                         f"of shape {array.shape}")
    return array.astype("int64")


def plot_attention_examples(model, weights_model, ids, labels, vocabulary, examples):
    """For each review index in ``examples``: a bar per word of its attention weight, a dashed line at 1/n (the
    weight of a plain average over its n words), and its label and the model's probability in the title. Prints
    the five largest weights of each review. Returns the figure."""
    import matplotlib.pyplot as plt

    _ids(ids)  # checked; the ids themselves go to the models as they are
    ids, labels = np.asarray(ids), np.asarray(labels)
    if isinstance(examples, str) or not hasattr(examples, "__len__") or not len(examples):
        raise ArgumentTypeError(f"examples must be a list of review indices, got {describe(examples)}")
    if not all(is_int(i) and 0 <= i < len(ids) for i in examples):
        raise ValueError(f"examples must be indices of reviews in ids (0 to {len(ids) - 1}), got {list(examples)}")
    if len(labels) != len(ids):
        raise ValueError(f"labels must have one label per review ({len(ids)}), got {len(labels)}")
    vocabulary = np.array(vocabulary)
    if vocabulary.ndim != 1 or ids.max() >= len(vocabulary):
        raise ValueError(f"vocabulary must list a word for every id up to {ids.max()}, got {len(vocabulary)} words")
    chosen = ids[list(examples)]
    weights = keras.ops.convert_to_numpy(weights_model.predict(chosen, verbose=0))
    probability = model.predict(chosen, verbose=0)[:, 0]
    fig, axes = plt.subplots(len(examples), 1, figsize=(12, 2.6 * len(examples)))
    for ax, i, w, p in zip(np.atleast_1d(axes), examples, weights, probability):
        real = ids[i] > 0
        words, w = vocabulary[ids[i][real]], w[real]
        ax.bar(range(len(words)), w, color="tab:blue")
        ax.axhline(1 / len(words), color="black", ls="--", lw=1, label=f"uniform, 1/{len(words)}")
        ax.set_xticks(range(len(words)), words, rotation=60, fontsize=8)
        ax.set(ylabel="weight", ylim=(0, 1.4 * max(w.max(), 1 / len(words))),
               title=f"test review {i}: label {'positive' if labels[i] else 'negative'}, "
                     f"model says {p:.2f} positive")
        ax.legend(fontsize="small", loc="upper right")
        top = np.argsort(w)[::-1][:5]
        print(f"review {i} ({len(words)} words, 1/n = {1 / len(words):.3f}): largest weights on "
              + ", ".join(f"'{words[j]}' {w[j]:.3f}" for j in top))
    plt.tight_layout()
    return fig


def attention_spread(weights, ids) -> dict:
    """How far attention weights ``[reviews, time]`` are from a plain average, over the reviews of two words or more
    (``ids``: their word ids, 0 = padding).

    Returns ``{"reviews": how many, "peak_over_uniform_quartiles": [25%, 50%, 75%] of the largest weight in units of
    1/n (1 when all n words weigh the same, n when one takes everything), "entropy_over_log_n_quartiles": the same
    quartiles of the weights' entropy over log n (1 for uniform weights, 0 for all on one word)}``."""
    ids = _ids(ids)
    numeric_array(weights, "weights")  # checked; computed on in their own precision (float32 from a model)
    weights = np.asarray(weights)
    if weights.shape != ids.shape:
        raise ValueError(f"weights must have the shape of ids {ids.shape} (one weight per word id), got "
                         f"{weights.shape}")
    n = (ids > 0).sum(axis=1).astype(float)
    keep = n >= 2  # a one-word review has nothing to weigh
    if not keep.any():
        raise ValueError("no review has two words or more: there is nothing to weigh")
    real = ids[keep] > 0
    w = np.where(real, np.clip(weights[keep], 1e-12, 1), 1.0)  # log 1 = 0: padding adds nothing
    peak = weights[keep].max(axis=1) * n[keep]  # largest weight / (1/n)
    evenness = -(w * np.log(w)).sum(axis=1) / np.log(n[keep])  # entropy / log n
    return {"reviews": int(keep.sum()),
            "peak_over_uniform_quartiles": np.percentile(peak, [25, 50, 75]).tolist(),
            "entropy_over_log_n_quartiles": np.percentile(evenness, [25, 50, 75]).tolist()}


def spread_text(summary: dict) -> str:
    """:func:`attention_spread`'s quartiles as three lines, and whether the layer pools much like an average (median
    entropy over log n above 0.95 and median peak under 2) or its weights depart from uniform."""
    keys = ("reviews", "peak_over_uniform_quartiles", "entropy_over_log_n_quartiles")
    if not isinstance(summary, dict) or any(key not in summary for key in keys):
        raise ArgumentTypeError(f"summary must be attention_spread()'s dict with {keys}, got {describe(summary)}")
    peaks, entropies = (summary[k] for k in keys[1:])
    if any(len(v) != 3 for v in (peaks, entropies)):
        raise ValueError("summary's quartiles must be three numbers each (25%, 50%, 75%)")
    return "\n".join([
        f"over {summary['reviews']:,} test reviews (quartiles 25% / 50% / 75%):",
        "  largest weight in units of 1/n: " + " / ".join(f"{v:.2f}" for v in peaks),
        "  entropy / log n:                " + " / ".join(f"{v:.3f}" for v in entropies),
        "-> " + ("close to uniform for most reviews: this layer pools much like an average"
                 if entropies[1] > 0.95 and peaks[1] < 2 else
                 "the weights depart from uniform: in most reviews a few states weigh far above 1/n")])
