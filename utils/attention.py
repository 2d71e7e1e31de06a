"""Attention pooling: a learned weighted average of a recurrent layer's states (lesson 08 and exercise 08.2)."""

import keras

__all__ = ["AttentionPooling"]


class AttentionPooling(keras.layers.Layer):
    """Score each time step, softmax over the real (unmasked) steps; return the weighted sum and the weights.

    Input: states ``[batch, time, units]`` (a recurrent layer with ``return_sequences=True``) and the mask of
    the embedding below it. Output: ``(pooled [batch, units], weights [batch, time])``; the weights of a
    review sum to 1 over its real words and are ~0 on padding. One ``Dense(1, use_bias=False)`` scores
    ``tanh(state)``, so the layer adds ``units`` parameters.
    """

    def build(self, input_shape):
        self.score = keras.layers.Dense(1, use_bias=False)
        self.score.build(input_shape)

    def call(self, states, mask=None):
        scores = self.score(keras.ops.tanh(states))[..., 0]  # [batch, time]
        if mask is not None:
            scores = keras.ops.where(mask, scores, -1e9)
        weights = keras.ops.softmax(scores, axis=-1)
        return keras.ops.sum(states * weights[..., None], axis=1), weights

    def compute_mask(self, inputs, mask=None):
        return None
