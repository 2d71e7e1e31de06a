"""The three recurrent layers the course compares, by the keys every lesson and results file uses.

    from utils.cells import CELLS, CELL_NAMES
    layer = CELLS["gru"](64)            # keras.layers.GRU(64)

Keys are the model keys of ``results/<lesson>.json``: ``simple_rnn``, ``lstm``, ``gru``.
"""

import keras

CELLS = {"simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}
CELL_NAMES = tuple(CELLS)


def cell_layer(key):
    """The Keras layer class for ``key`` (one of ``CELL_NAMES``), with a clear error for any other key."""
    if not isinstance(key, str) or key not in CELLS:
        raise ValueError(f"cell must be one of {', '.join(CELL_NAMES)}; got {key!r}")
    return CELLS[key]
