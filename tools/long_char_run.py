"""Lesson 06's longer run: one character model trained far longer than the lesson can afford.

    python tools/long_char_run.py                      # the stored run: GRU, 384 units, 2 seeds x 20 minutes
    python tools/long_char_run.py --minutes 1 --seeds 0

The model, data, schedule (cosine to zero over the training time) and scoring are lesson 06's, from
``utils.chars``; only the size and the time differ. Each seed's held-out loss is checked along the way on the
same validation sequences as the lesson's, and at the end every test sequence (1,000 characters, read from a zero
state, as in the lesson) is scored. Writes ``results/text_generation_long.json`` and
``results/predictions/text_generation_long.npz`` (per-sequence test losses per seed, with positions 1-100 and
101-1,000 apart). Run it alone on the machine: the budget is training seconds.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from utils.environment import quiet_tensorflow_import  # noqa: E402

quiet_tensorflow_import()
import keras  # noqa: E402
import numpy as np  # noqa: E402

from utils.chars import char_lookup, char_model, char_sequences, encode, sequence_losses  # noqa: E402
from utils.datasets import load_shakespeare  # noqa: E402
from utils.measure import Measure  # noqa: E402
from utils.predictions import save_predictions  # noqa: E402
from utils.results import save_results  # noqa: E402
from utils.training import TrainingClock  # noqa: E402

TEST_SEQ, HEAD = 1000, 100  # test sequences as the lesson scores them; positions 1-100 vs the rest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell", default="gru", choices=["simple_rnn", "lstm", "gru"])
    parser.add_argument("--units", type=int, default=384)
    parser.add_argument("--learning-rate", type=float, default=3e-3)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--seq-len", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=20.0, help="training minutes per seed")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--checks", type=int, default=12, help="validation scores per seed")
    args = parser.parse_args(argv)
    if args.minutes <= 0 or args.checks < 1 or args.units < 1 or args.batch < 1:
        parser.error("minutes, checks, units and batch must be positive")

    train_text = load_shakespeare("train")
    to_ids = char_lookup(train_text)
    vocab = to_ids.vocabulary_size()
    train = char_sequences(encode(to_ids, train_text), seq_len=args.seq_len, batch_size=args.batch,
                           shuffle=True).repeat()
    val_ids = encode(to_ids, load_shakespeare("validation")[:64 * 1001])
    val_probe = char_sequences(val_ids, seq_len=1000, batch_size=64, shuffle=False)
    test = char_sequences(encode(to_ids, load_shakespeare("test")), seq_len=TEST_SEQ, batch_size=128,
                          shuffle=False)
    budget = 60 * args.minutes
    runs, outcomes = [], {}
    with Measure() as wall:
        for seed in args.seeds:
            keras.utils.set_random_seed(seed)
            model = char_model(args.cell, vocab_size=vocab, units=args.units,
                               learning_rate=args.learning_rate)
            probe = char_model(args.cell, vocab_size=vocab, units=args.units,
                               learning_rate=args.learning_rate)
            probe.fit(train, steps_per_epoch=3, epochs=1, shuffle=False, verbose=0)  # tracing
            with Measure() as timing:
                probe.fit(train, steps_per_epoch=10, epochs=1, shuffle=False, verbose=0)
            every = max(1, round(budget / args.checks / (timing.seconds / 10)))
            keras.utils.set_random_seed(seed)
            model = char_model(args.cell, vocab_size=vocab, units=args.units,
                               learning_rate=args.learning_rate)
            clock = TrainingClock(budget, peak_learning_rate=args.learning_rate)
            history = model.fit(train, steps_per_epoch=every, epochs=100_000, validation_data=val_probe,
                                callbacks=[clock], shuffle=False, verbose=0)
            scored = sequence_losses(model, test, head=HEAD)
            head, tail, whole = scored["first"], scored["rest"], scored["whole"]
            curve = [[round(s, 1), round(float(v), 4)]
                     for s, v in zip(clock.train_seconds, history.history["val_loss"])]
            runs.append({"seed": seed, "steps": int(model.optimizer.iterations.numpy()),
                         "train_seconds": clock.total, "curve": curve,
                         "test_loss": float(whole.mean()), "test_loss_positions_1_100": float(head.mean()),
                         "test_loss_positions_101_1000": float(tail.mean())})
            outcomes.setdefault("whole", []).append(whole)
            outcomes.setdefault("head", []).append(head)
            outcomes.setdefault("tail", []).append(tail)
            print(f"seed {seed}: {runs[-1]['steps']} steps in {clock.total:.0f} s; validation "
                  f"{curve[-1][1]:.3f}; test {whole.mean():.3f} nats/char", flush=True)
    key = args.cell
    losses = [r["test_loss"] for r in runs]
    save_results("text_generation_long", models={key: {
        "params": model.count_params(), "units": args.units, "learning_rate": args.learning_rate,
        "seeds": args.seeds, "steps": [r["steps"] for r in runs],
        "train_seconds": float(np.mean([r["train_seconds"] for r in runs])),
        "test_loss_seeds": losses, "test": {"loss_nats_per_char": float(np.mean(losses))}}},
        runs=runs, setup={"batch_size": args.batch, "seq_len": args.seq_len, "budget_seconds": budget,
                          "schedule": "cosine to zero over the time budget", "test_sequence": TEST_SEQ,
                          "validation_probe": "the first 64 sequences of 1,000 validation characters",
                          "wall_seconds_all_seeds": wall.seconds})
    save_predictions("text_generation_long", {f"{key}_{part}": np.array(v) for part, v in outcomes.items()},
                     item="sequence")


if __name__ == "__main__":
    main()
