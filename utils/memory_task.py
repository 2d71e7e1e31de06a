"""Lesson 03's memory-span experiment: the recall model, its training on fresh batches, its test accuracy, and
chrono-initialised gates.

    from utils.cells import CELLS
    from utils.memory_task import accuracy, build, chrono, train_at

    model = build(CELLS["lstm"], seed=0)                  # or build(chrono(CELLS["lstm"], 100), seed=0)
    steps = train_at(model, lag=20, max_steps=1000, seed=0)
    print(accuracy(model, lag=20, seed=2_000))

The task is ``utils.sequences.recall_task``: recall the token(s) seen ``lag`` steps ago. The defaults are the
lesson's: 8 tokens, 32 units, batches of 64, the stopping set checked every 50 steps. Every batch, stopping set and
test set is drawn from its own seed, so a run is repeatable and the three sets never mix:

- training batches: ``10_000_000 * (seed + 1) + 10_000 * lag + step`` (fresh at every check);
- stopping set: ``1_000 + seed`` (256 sequences);
- test set: whatever seed the caller gives ``accuracy`` (the lesson uses ``2_000 + seed``).
"""

import keras
import numpy as np

from utils.checks import ArgumentTypeError, describe, flag, is_int, is_real, positive_int
from utils.sequences import recall_task

VOCAB = 8  # tokens 0 … 7; chance accuracy 1/8 per token
UNITS = 32  # units of the recurrent layer
BATCH = 64  # sequences per training batch
CHECK_EVERY = 50  # training steps between two looks at the stopping set
STOPPING_SET = 256  # sequences in the stopping set
STOP_AT = 0.99  # stopping-set accuracy at which train_at stops


def _seed(value, name="seed") -> int:
    if not is_int(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {describe(value)}")
    return int(value)


def _batch_seed(seed, lag, step) -> int:
    """The seed of the training sequences drawn at ``step`` for distance ``lag``: no two (lag, step) share one."""
    return 10_000_000 * (seed + 1) + 10_000 * lag + step


def build(cell, seed, n_tokens=1, *, vocab=VOCAB, units=UNITS, embedding_dim=8, learning_rate=3e-3, clipnorm=1.0,
          jit_compile=None):
    """A compiled recall model: ``Embedding(vocab, embedding_dim) -> cell(units) -> Dense(vocab * n_tokens)``,
    reshaped to one softmax over the vocabulary per token to recall.

    ``cell`` is a callable ``units -> recurrent layer``: a Keras layer class (``keras.layers.LSTM``) or a
    ``chrono(...)`` factory. Input: int32 tokens ``[batch, time]`` of any length; output: probabilities
    ``[batch, n_tokens, vocab]``. The session is cleared first (many small models are built in a row) and the
    weights are drawn after ``keras.utils.set_random_seed(seed)``. Adam with ``learning_rate``, each weight's
    gradient clipped to norm ``clipnorm`` (Keras' ``clipnorm`` acts per weight), sparse categorical
    cross-entropy, compiled with XLA when ``jit_compile`` (faster steps, but a slower first step: on a 2-core CPU
    each new model took about 2 s of CPU more to compile). ``jit_compile=None`` uses XLA in full mode, where the
    long runs repay the compile, and not in fast mode, where each model trains for a few dozen steps.
    """
    if not callable(cell):
        raise ValueError(f"cell must be a Keras recurrent layer class or a chrono(...) factory, got {describe(cell)}")
    seed = _seed(seed)
    n_tokens = positive_int(n_tokens, "n_tokens")
    vocab = positive_int(vocab, "vocab")
    units = positive_int(units, "units")
    embedding_dim = positive_int(embedding_dim, "embedding_dim")
    for value, name in ((learning_rate, "learning_rate"), (clipnorm, "clipnorm")):
        if not is_real(value) or not 0 < value < float("inf"):
            raise ValueError(f"{name} must be a positive, finite number, got {describe(value)}")
    if jit_compile is None:
        from utils.runmode import is_fast

        jit_compile = not is_fast()
    if not isinstance(jit_compile, bool | np.bool_):
        raise ArgumentTypeError(f"jit_compile must be True, False or None, got {describe(jit_compile)}")
    jit_compile = bool(jit_compile)
    keras.backend.clear_session()  # many small models are built in a row: free the previous ones' graphs
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input((None,), dtype="int32"),
        keras.layers.Embedding(vocab, embedding_dim),
        cell(units),
        keras.layers.Dense(vocab * n_tokens),
        keras.layers.Reshape((n_tokens, vocab)),
        keras.layers.Softmax(),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=clipnorm),
                  loss="sparse_categorical_crossentropy", jit_compile=jit_compile)
    return model


def accuracy(model, lag, seed, n=1024, n_tokens=1, *, vocab=VOCAB):
    """Share of tokens (0 to 1) that ``model`` recalls correctly on ``n`` sequences
    ``recall_task(n, lag, vocab, seed=seed, n_tokens=n_tokens)``, ``lag`` steps back; predicted 256 at a time."""
    predicted, true = recall_outcomes(model, lag, seed, n, n_tokens, vocab=vocab)
    return float(np.mean(predicted == true))


def recall_outcomes(model, lag, seed, n=1024, n_tokens=1, *, vocab=VOCAB):
    """The tokens ``model`` predicts and the true ones, each ``[n, n_tokens]``, on the ``n`` sequences that
    :func:`accuracy` scores: per-sequence outcomes to store, or to see *what* a model answers when it is wrong."""
    lag = positive_int(lag, "lag")
    seed = _seed(seed)
    n = positive_int(n, "n")
    n_tokens = positive_int(n_tokens, "n_tokens")
    model = _model(model)
    x, y = recall_task(n, lag, vocab, seed=seed, n_tokens=n_tokens)
    predicted = model.predict(x, batch_size=256, verbose=0).argmax(-1)
    return predicted, y.reshape(len(y), n_tokens)


def best_relabelling(predicted, true, vocab=VOCAB) -> float:
    """Share of tokens recalled once each true token may be renamed to the answer the model gives it most often.

    1.0 when every token is still told apart (the model keeps it, under another name); about 0.17 for eight
    tokens when the answers are spread evenly and do not depend on the token. The renaming may give two tokens
    the same name, so a model that always gives one answer also reaches 1.0: read it next to the plain accuracy
    (which is then 1/8, not 0)."""
    vocab = positive_int(vocab, "vocab")
    predicted, true = (_tokens(value, name, vocab) for value, name in ((predicted, "predicted"), (true, "true")))
    if predicted.shape != true.shape or predicted.size == 0:
        raise ValueError(f"predicted and true must be non-empty and of one shape, got {predicted.shape} and "
                         f"{true.shape}")
    table = np.zeros((vocab, vocab))
    np.add.at(table, (true, predicted), 1)
    return float(table.max(axis=1).sum() / true.size)


def _tokens(value, name, vocab) -> np.ndarray:
    """Token ids as a flat integer array, each in ``0 … vocab - 1`` (a negative id would silently wrap around)."""
    array = np.asarray(value.numpy() if callable(getattr(value, "numpy", None)) else value)
    if array.dtype.kind not in "iu":
        raise ArgumentTypeError(f"{name} must hold integer token ids (e.g. the argmax(-1) of the probabilities), "
                                f"got an array of dtype {array.dtype}")
    array = array.ravel()
    if array.size and (array.min() < 0 or array.max() >= vocab):
        raise ValueError(f"{name} must hold token ids in 0 … {vocab - 1}, got values from {array.min()} to "
                         f"{array.max()}")
    return array


def _model(model):
    if not (callable(getattr(model, "predict", None)) and callable(getattr(model, "fit", None))):
        raise ArgumentTypeError(f"model must be a compiled Keras model (from build), got {describe(model)}")
    return model


def train_at(model, lag, max_steps, seed, n_tokens=1, stop_early=True, *, vocab=VOCAB, batch_size=BATCH,
             check_every=CHECK_EVERY, first_step=0):
    """Train ``model`` at distance ``lag`` on fresh batches, ``check_every`` steps at a time, until its accuracy on
    the stopping set (``STOPPING_SET`` sequences, seed ``1_000 + seed``) reaches ``STOP_AT`` or ``max_steps`` steps
    are spent; with ``stop_early=False`` it always trains ``max_steps`` steps (rounded up to ``check_every``).

    A step is one batch of ``batch_size`` sequences; each block of ``check_every`` steps is drawn with its own seed
    (see the module's docstring) and fitted in one epoch, unshuffled. ``first_step``: the steps this model already
    trained at ``lag`` in earlier calls; the batch seeds continue from it, so that calls of 100 steps in a row see
    the batches one call of that many steps would. Returns the number of steps this call trained.
    """
    lag = positive_int(lag, "lag")
    max_steps = positive_int(max_steps, "max_steps")
    seed = _seed(seed)
    n_tokens = positive_int(n_tokens, "n_tokens")
    batch_size = positive_int(batch_size, "batch_size")
    check_every = positive_int(check_every, "check_every")
    first_step = _seed(first_step, "first_step")
    stop_early = flag(stop_early, "stop_early")
    model = _model(model)
    steps = 0
    while steps < max_steps:
        x, y = recall_task(check_every * batch_size, lag, vocab, seed=_batch_seed(seed, lag, first_step + steps),
                           n_tokens=n_tokens)
        model.fit(x, y.reshape(len(y), n_tokens), batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
        steps += check_every
        if stop_early and accuracy(model, lag, seed=1_000 + seed, n=STOPPING_SET, n_tokens=n_tokens,
                                   vocab=vocab) >= STOP_AT:
            break
    return steps


def chrono(cell_class, t_max):
    """``cell_class`` (``keras.layers.LSTM`` or ``keras.layers.GRU``) with chrono-initialised gate biases for time
    spans up to ``t_max`` steps (Tallec & Ollivier, ICLR 2018): a factory ``units -> layer`` for ``build``.

    The keep gate's biases (the LSTM's forget gate, the GRU's update gate) start at ``log(u)``, ``u`` uniform in
    ``[1, max(t_max - 1, 2)]`` (drawn with ``np.random.default_rng(0)``, one per unit), so the gates' time constants
    spread up to ``t_max``; the LSTM's input-gate bias is ``-log(u)`` and its forget bias of 1 is off. Every other
    bias starts at 0. Bias layouts: LSTM ``[4 * units]``, blocks input, forget, candidate, output; GRU
    ``[2, 3 * units]``, rows input-side and recurrent-side, blocks update, reset, candidate.
    """
    if cell_class not in (keras.layers.LSTM, keras.layers.GRU):
        raise ValueError(f"cell_class must be keras.layers.LSTM or keras.layers.GRU, got {describe(cell_class)}")
    t_max = positive_int(t_max, "t_max")
    lstm = cell_class is keras.layers.LSTM

    def initializer(shape, dtype=None):
        units = shape[-1] // (4 if lstm else 3)
        keep = np.log(np.random.default_rng(0).uniform(1, max(t_max - 1, 2), units)).astype("float32")
        bias = np.zeros(shape, dtype="float32")
        if lstm:  # bias blocks: input, forget, candidate, output
            bias[units:2 * units] = keep
            bias[:units] = -keep
        else:  # GRU bias rows: input-side, recurrent-side; blocks: update (keep), reset, candidate
            bias[0, :units] = keep
        return bias

    extra = {"unit_forget_bias": False} if lstm else {}
    return lambda units: cell_class(units, bias_initializer=initializer, **extra)
