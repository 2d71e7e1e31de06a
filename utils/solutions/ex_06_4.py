"""Exercise 06.4: stateful training (the state carried across consecutive chunks), decided against lesson 06's
stateless runs of the same cell, with the same set-up and time budget."""
import keras
import tensorflow as tf

from utils import by_mode
from utils.cells import CELLS
from utils.chars import char_lookup, char_sequences, encode, sequence_losses
from utils.datasets import load_shakespeare
from utils.results import load_results
from utils.runmode import run_mode
from utils.training import TrainingClock
from utils.verdicts import compare

# Lesson 06's data (in the notebook, use its own names): utils.chars cuts and scores text as the lesson does.
train_text = load_shakespeare("train", limit_chars=by_mode(full=None, fast=100_000))
test_text = load_shakespeare("test", limit_chars=by_mode(full=None, fast=3_300))
to_ids = char_lookup(load_shakespeare("train"))
VOCAB = to_ids.vocabulary_size()

# The lesson's stored run of this mode: its chosen cell (best_cell, the lowest test loss), that cell's tuned
# setting (BEST[best_cell]), batch, chunk length, time budget and test sequences.
lesson = load_results("text_generation", mode=run_mode())
setup, stored = lesson["setup"], lesson["models"]
CELL = min(stored, key=lambda cell: stored[cell]["test"]["loss_nats_per_char"])
BEST = {CELL: {"units": stored[CELL]["units"], "learning_rate": stored[CELL]["learning_rate"]}}
BATCH, SEQ_LEN, BUDGET = setup["batch_size"], setup["seq_len"], setup["budget_seconds"]
SEEDS = by_mode(full=[0, 1, 2], fast=[0, 1])
test_data = char_sequences(encode(to_ids, test_text), seq_len=setup["test_sequence"], batch_size=128,
                           shuffle=False)


def char_model(cell, units, learning_rate, batch_size=None, stateful=False):  # the lesson's, + a fixed batch
    inputs = keras.Input(batch_shape=(batch_size, None), dtype="int64")  # stateful: a fixed batch size
    x = keras.layers.Embedding(VOCAB, 64)(inputs)
    x = cell(units, return_sequences=True, stateful=stateful)(x)
    model = keras.Model(inputs, keras.layers.Dense(VOCAB)(x))
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, clipnorm=1.0),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


# BATCH parallel streams of the training text; step t feeds chunk t of every stream, so that batch row i of
# step t + 1 continues row i of step t. One pass = STEPS steps.
ids = encode(to_ids, train_text)
STEPS = (len(ids) - 1) // BATCH // SEQ_LEN
per_stream = STEPS * SEQ_LEN
inputs = ids[:BATCH * per_stream].reshape(BATCH, STEPS, SEQ_LEN).transpose(1, 0, 2)  # [step, row, character]
targets = ids[1:BATCH * per_stream + 1].reshape(BATCH, STEPS, SEQ_LEN).transpose(1, 0, 2)  # shifted by one
stream_data = tf.data.Dataset.from_tensor_slices((inputs, targets)).repeat()


class ResetEachPass(keras.callbacks.Callback):
    """Start every pass (epoch) from a zero state; within a pass the state runs on from batch to batch."""

    def on_epoch_begin(self, epoch, logs=None):
        self.model.layers[2].reset_state()


losses = []
for seed in SEEDS:
    keras.utils.set_random_seed(seed)
    model = char_model(CELLS[CELL], **BEST[CELL], batch_size=BATCH, stateful=True)
    clock = TrainingClock(BUDGET, peak_learning_rate=BEST[CELL]["learning_rate"])
    model.fit(stream_data, steps_per_epoch=STEPS, epochs=100_000, callbacks=[clock, ResetEachPass()],
              shuffle=False, verbose=0)  # one epoch = one pass over the streams; the clock ends training
    scorer = char_model(CELLS[CELL], **BEST[CELL])  # the lesson's stateless model, scored as the lesson does
    scorer.set_weights(model.get_weights())
    losses.append(float(sequence_losses(scorer, test_data)["whole"].mean()))
    print(f"seed {seed}: {int(model.optimizer.iterations.numpy())} steps, test {losses[-1]:.4f} nats/char")

stateless = stored[CELL]["test_loss_seeds"]  # the lesson's per-seed test losses of this cell
c = compare(losses, stateless, names=("stateful", "stateless"), higher_is_better=False, margin="nats_per_char")
print(c.describe())

answer = {"cell": CELL, "losses": losses, "outcome": c.outcome}
