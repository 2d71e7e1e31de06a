"""Attention pooling: a learned weighted average of a recurrent layer's states (lesson 08 and exercise 08.2).

    model = sentiment_classifier(keras.layers.LSTM(64, return_sequences=True), AttentionPooling(name="attention"),
                                 vocab_size=20_000)
    weights_model = attention_weights_model(model)  # word ids -> each review's attention weights
"""

import keras

from utils.checks import ArgumentTypeError, describe

__all__ = ["AttentionPooling", "attention_weights_model"]


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
