"""Exercises 06.1–06.4 of lesson 06, Shakespeare: nats, bits and perplexity, an n-gram model's memorising,
repetition at low temperature, and stateful training decided against the lesson's stateless runs.
"""

import math

from utils.checks import describe
from utils.exercises.core import (
    Wrong,
    compare,
    exercise,
    read_choice,
    read_mapping,
    read_number,
    read_numbers,
    read_outcome,
    read_share,
)


@exercise(
    "06.1",
    question="A model scores 1.5 nats per character. What is that in bits per character, and as a per-character "
             "perplexity?",
    verifies='both to ±0.01, as {"bits_per_char": ..., "perplexity_per_char": ...}',
    hint="Bits are nats divided by ln 2; the perplexity is e to the loss in nats (nats_to_row in the lesson).",
    wrong=[({"bits_per_char": 1.5 / math.log(10), "perplexity_per_char": math.exp(1.5)}, "ln 2"),
           ({"bits_per_char": 1.5 / math.log(2), "perplexity_per_char": 2 ** 1.5}, "e to the"),
           ({"bits_per_char": 1.5 * math.log(2), "perplexity_per_char": math.exp(1.5)}, "divide")],
)
def _check_06_1(answer):
    parts = read_mapping(answer, ["bits_per_char", "perplexity_per_char"],
                         '{"bits_per_char": 1.0, "perplexity_per_char": 2.0}')
    bits = read_number(parts["bits_per_char"], 'answer["bits_per_char"]')
    perplexity = read_number(parts["perplexity_per_char"], 'answer["perplexity_per_char"]')
    right_bits, right_perplexity = 1.5 / math.log(2), math.exp(1.5)
    if abs(bits - 1.5 * math.log(2)) < 0.01:
        raise Wrong(f"{bits:.3f}: multiply and divide swapped; bits = nats / ln 2")
    if abs(bits - right_bits) > 0.01:
        raise Wrong(f"{bits:.3f} bits: a bit is ln 2 nats, so divide the loss in nats by ln 2 (not log 10)")
    if abs(perplexity - right_perplexity) > 0.01:
        raise Wrong(f"perplexity {perplexity:.3f}: it is e to the loss in nats (or 2 to the loss in bits), "
                    f"not {'2 to the nats' if abs(perplexity - 2 ** 1.5) < 0.01 else 'that'}")
    return (f"{right_bits:.3f} bits/char, perplexity {right_perplexity:.2f}: the model is as unsure as a fair choice "
            "among about 4.5 characters — the uniform model's is 84.")


@exercise(
    "06.2",
    question="Score the n-gram model with absolute discounting (`utils.ngram`, D = 0.75) for n = 2 and 5 on "
             "100,000 training characters and on the test plays. At which n is the gap larger?",
    verifies="plausible losses, counted text scored better at n = 5, and a larger gap at n = 5",
    hint="tables = ngram_tables(train_text, 5); ngram_nats(train_text[:100_000], tables, 5, unigram_p=unigram_p, "
         "discount=0.75) (utils.ngram; unigram_p maps every character to its add-one probability, as the "
         "lesson's unigram model) returns the loss of every "
         "order 1 to 5 on the training text (entry n - 1 is order n); the same call on test_text scores the test "
         "plays.",
    wrong=[({"2": {"train": 2.52, "test": 2.47}, "5": {"train": 1.67, "test": 1.31}}, "swapped"),
           ({"2": {"train": 2.0, "test": 2.6}, "5": {"train": 1.5, "test": 1.7}}, "longer contexts"),
           ({"2": {"train": 2.47, "test": 2.52}}, "no key"),
           ({"2": {"train": 2.47, "test": 2.52}, "5": {"train": 0.05, "test": 1.67}}, "plausible")],
)
def _check_06_2(answer):
    parts = read_mapping(answer, ["2", "5"], '{"2": {"train": 2.4, "test": 2.5}, "5": {"train": 1.3, "test": 1.7}}')
    losses = {}
    for n in ("2", "5"):
        pair = read_mapping(parts[n], ["train", "test"], '{"train": 1.3, "test": 1.7}')
        losses[n] = {k: read_number(pair[k], f'answer["{n}"]["{k}"]') for k in ("train", "test")}
        for k, v in losses[n].items():
            if not 0.3 <= v <= 4.5:
                raise Wrong(f'answer["{n}"]["{k}"] = {v:.3f} nats/char is not plausible for this corpus (the uniform '
                            "model scores ln 84 = 4.43; the lesson's n-gram models score about 1.4 to 3.4)")
    gap = {n: losses[n]["test"] - losses[n]["train"] for n in losses}
    if gap["5"] <= 0:
        raise Wrong(f"at n = 5 your model does better on unseen plays ({losses['5']['test']:.3f}) than on text it "
                    f"counted ({losses['5']['train']:.3f}): train and test swapped? Every 5-gram of its training text "
                    "is in its tables")
    if gap["5"] <= gap["2"]:
        raise Wrong(f"the gap is {gap['2']:.3f} at n = 2 and {gap['5']:.3f} at n = 5; longer contexts are rarer, so "
                    "the model learns more of them by heart and the gap should grow with n — check which order is "
                    "which (entry n - 1 of ngram_nats' result is order n)")
    return (f"on its own text the 5-gram model is {gap['5']:.2f} nats/char better than on unseen plays, the "
            f"bigram model only {gap['2']:.2f}: long contexts are memorised, not learned. That is why every score "
            "in this lesson comes from plays the models never saw.")


TEMPERATURE_CHOICES = {"a": "it almost always picks the likeliest character, so a recurring context replays",
                       "b": "it makes the model forget its state",
                       "c": "it adds noise to the logits"}


@exercise(
    "06.3",
    question="Write 1,000 characters at temperature 0.2 and 1.0 (`CharWriter`). What share of each sample's "
             "20-character windows appeared earlier in it, and why does low temperature repeat itself?",
    verifies="shares, 0.2 repeating at least as much as 1.0, and the reason",
    hint="Write repeated_share(text, n=20): walk over text[i:i + 20], count the windows already in a set, then "
         "add each to the set; divide by the number of windows. Apply it to the generated part only (without the "
         "prompt).",
    options=TEMPERATURE_CHOICES,
    wrong=[({"0.2": 0.05, "1.0": 0.4, "why": "a"}, "more repetitive"), ({"0.2": 0.4, "1.0": 0.0, "why": "b"}, "state"),
           ({"0.2": 0.4, "1.0": 0.0, "why": "c"}, "noise"), ({"0.2": 40, "1.0": 0.0, "why": "a"}, "percentage")],
)
def _check_06_3(answer):
    parts = read_mapping(answer, ["0.2", "1.0", "why"], '{"0.2": 0.4, "1.0": 0.01, "why": "a"}')
    cold, warm = read_share(parts["0.2"], 'answer["0.2"]'), read_share(parts["1.0"], 'answer["1.0"]')
    if cold < warm:
        raise Wrong(f"the sample at 0.2 repeats less ({cold:.1%}) than the one at 1.0 ({warm:.1%}); dividing the "
                    "logits by 0.2 makes the likeliest characters even likelier, so the text gets more repetitive, "
                    "not less — check which sample went where")
    why = read_choice(parts["why"], TEMPERATURE_CHOICES, "why")
    if why == "b":
        raise Wrong("why 'b': temperature changes only how the next character is drawn from the logits, not the "
                    "rule that updates the state or what the model remembers")
    if why == "c":
        raise Wrong("why 'c': temperature divides the logits; below 1 it removes randomness rather than adding "
                    "noise")
    return (f"{cold:.1%} of the 20-character windows repeat at 0.2, {warm:.1%} at 1.0: near-greedy sampling walks "
            "into loops, which is why generators sample at a temperature near 1 or cut the tail (top-k, top-p).")


def _stateless_losses(cell):
    """The lesson's stored per-seed test losses (nats/char) of ``cell``, in the current run mode."""
    from utils.results import load_results
    from utils.runmode import run_mode

    mode = run_mode()
    try:
        models = load_results("text_generation", mode=mode)["models"]
    except FileNotFoundError:
        raise Wrong(f"lesson 06 has no stored results in {mode} mode: run lesson 06 first in this mode, then check "
                    "again") from None
    if cell not in models:
        raise Wrong(f"lesson 06 stored no runs of {cell!r}; its cells are {', '.join(repr(k) for k in models)}")
    seeds = models[cell].get("test_loss_seeds")
    if not seeds:
        raise Wrong(f"lesson 06's stored results ({mode} mode) hold no per-seed test losses of {cell!r} (an older "
                    "run): run lesson 06 again, then check again")
    return seeds


STATEFUL_MEANINGS = {
    "A better": "Every chunk now starts from the state the text before it left, so the model learns from context "
                "older than SEQ_LEN characters and from states that have run as long as the test sequences do.",
    "B better": "At this budget the stateless runs are ahead: consecutive chunks make the batches of a pass "
                "depend on each other and fix their order (no shuffling), which here costs more than the longer "
                "context gains.",
    "equivalent": "Within ±0.02 nats/char: at this budget carrying the state neither helps nor hurts enough to "
                  "matter.",
    "not decided": "The interval is too wide for either side. 'Not decided' is not a tie: more seeds could still "
                   "decide it.",
}


@exercise(
    "06.4",
    question="Stateful training: feed `BATCH` parallel streams so that each batch row continues the previous "
             "step's row, carry the state, train `best_cell` for `BUDGET` seconds with two or more seeds, score "
             "with `sequence_losses`, and decide against `report[best_cell][\"test_loss_seeds\"]`.",
    verifies='plausible losses, two or more seeds, and the outcome compare gives, as {"cell": ..., "losses": '
             '[...], "outcome": ...}',
    hint="The lesson's chosen cell is best_cell. Build char_model's layers with keras.Input(batch_shape=(BATCH, "
         "None), dtype='int64') and cell(units, return_sequences=True, stateful=True): the layer then keeps its "
         "final state and starts the next batch from it. Cut encode(train_text) into BATCH rows of equal length; "
         "the batches of one pass are their consecutive SEQ_LEN-column slices (targets shifted by one character). "
         "Fit one pass per epoch, reset with the layer's reset_state() in a callback's on_epoch_begin, and stop "
         "with TrainingClock(BUDGET, peak_learning_rate=...). To score as the lesson does, copy the weights into "
         "char_model(CELLS[best_cell], **BEST[best_cell]) with set_weights and average sequence_losses(scorer, "
         "test_data)['whole'] (utils.chars). The stateless runs' per-seed losses are "
         "report[best_cell]['test_loss_seeds'], as stored in results/text_generation.json.",
    wrong=[({"cell": "gru", "losses": [1.55], "outcome": "not decided"}, "at least 2"),
           ({"cell": "gru", "losses": [0.05, 0.06], "outcome": "A better"}, "plausible"),
           ({"cell": "gru", "losses": [1.55, 1.56], "outcome": "stateful better"}, "A better"),
           ({"cell": "keras.layers.GRU", "losses": [1.55, 1.56], "outcome": "A better"}, "key"),
           ({"cell": "gru", "losses": [155, 156], "outcome": "A better"}, "nats")],
)
def _check_06_4(answer):
    parts = read_mapping(answer, ["cell", "losses", "outcome"],
                         '{"cell": "gru", "losses": [1.52, 1.55], "outcome": "not decided"}')
    cell = parts["cell"]
    if not isinstance(cell, str) or not cell.isidentifier():
        raise Wrong('answer["cell"] should be the key of the lesson\'s cell, such as "gru" (the name of its entry '
                    f"in the lesson's results, not the layer), got {describe(cell)}")
    losses = read_numbers(parts["losses"], 'answer["losses"]', 2)
    for loss in losses:
        if not 0.3 <= loss <= 4.5:
            raise Wrong(f"a test loss of {loss:g} nats/char is not plausible for this corpus (the uniform model "
                        "scores ln 84 = 4.43): give the held-out loss in nats per character, as "
                        "sequence_losses(model, test_data)['whole'].mean() returns it")
    said = read_outcome(parts["outcome"], 'answer["outcome"]', "stateful", "stateless")
    stateless = _stateless_losses(cell)
    c = compare(losses, stateless, names=("stateful", "stateless"), higher_is_better=False, margin="nats_per_char")
    if said != c.outcome:
        raise Wrong(f"for your losses the rule gives {c.outcome!r}, not {said!r}: {c.describe()}")
    return f"{c.describe()}. {STATEFUL_MEANINGS[c.outcome]}"
