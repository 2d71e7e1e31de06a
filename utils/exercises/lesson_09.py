"""Exercises 09.1–09.2 of lesson 09, recurrent cells in the Transformer era: where a Transformer block's weights
are, and attention without positions."""

from utils.exercises.core import Wrong, exercise, read_integers, read_mapping, read_share

WIDTH, HEADS, FF_UNITS, MAX_LEN = 64, 2, 128, 300  # section 1's encoder
ATTENTION = 4 * WIDTH * WIDTH + 4 * WIDTH  # query, key, value and output projections, with their biases
FEED_FORWARD = WIDTH * FF_UNITS + FF_UNITS + FF_UNITS * WIDTH + WIDTH
POSITIONS = MAX_LEN * WIDTH
SOLVED_AT = 0.9  # lesson 03's "solved"


@exercise(
    "09.1",
    question="How many weights do the attention layer and the two feed-forward layers of section 1's Transformer "
             "block hold (width 64, 2 heads, feed-forward 128), and how many does its position embedding add "
             "(300 positions)?",
    verifies="the three numbers, exactly",
    hint="The attention projects the input to queries, keys and values (each 64 × 64, split between the 2 heads, "
         "plus a bias of 64) and projects the heads' output back (64 × 64 + 64). The feed-forward part is "
         "Dense(128) then Dense(64). The position embedding holds one vector of width 64 per position. "
         "block.count_params() and the weights' shapes (block.weights) let you check.",
    wrong=[({"attention": 4 * WIDTH * WIDTH, "feed_forward": FEED_FORWARD, "positions": POSITIONS}, "bias"),
           ({"attention": ATTENTION, "feed_forward": 2 * WIDTH * FF_UNITS, "positions": POSITIONS}, "bias"),
           ({"attention": ATTENTION, "feed_forward": FEED_FORWARD, "positions": MAX_LEN}, "vector"),
           ({"attention": 2 * ATTENTION, "feed_forward": FEED_FORWARD, "positions": POSITIONS}, "split")],
)
def _check_09_1(answer):
    attention, feed_forward, positions = read_integers(
        answer, ["attention", "feed_forward", "positions"],
        '{"attention": 123, "feed_forward": 456, "positions": 789}').values()
    if attention != ATTENTION:
        if attention == 4 * WIDTH * WIDTH:
            raise Wrong(f"{attention:,} leaves out the biases: 64 for each of the four projections")
        if attention == HEADS * ATTENTION:
            raise Wrong(f"{attention:,} counts every projection once per head: the 64 columns are split between "
                        "the 2 heads (32 each), not repeated")
        raise Wrong(f"{attention:,} is not 4 projections × (64 × 64 weights + 64 biases)")
    if feed_forward != FEED_FORWARD:
        if feed_forward == 2 * WIDTH * FF_UNITS:
            raise Wrong(f"{feed_forward:,} leaves out the biases: 128 in the first layer, 64 in the second")
        raise Wrong(f"{feed_forward:,} is not (64 × 128 + 128) + (128 × 64 + 64)")
    if positions != POSITIONS:
        if positions == MAX_LEN:
            raise Wrong("300 counts one number per position; each position adds a vector of width 64")
        raise Wrong(f"{positions:,} is not 300 positions × 64")
    return (f"attention {attention:,}, feed-forward {feed_forward:,}, positions {positions:,}: the block and the "
            "positions together hold about 52,000 weights, while the 20,000-word embedding holds 1,280,000 — the "
            "encoder's size is its vocabulary, as it is for lesson 04's cells.")


@exercise(
    "09.2",
    question="Remove the position embedding from section 2's attention reader and train it at *T* = 20 (seed 0, "
             "the same budget). What test accuracy does it reach, and why can it not solve the task?",
    verifies="that the accuracy is a share between 0 and 1 below lesson 03's \"solved\" threshold of 0.9 (a reader "
             "without positions cannot tell the first token from the others), and that your reason names the "
             "positions",
    hint="Build the reader without AddPositions: keras.Sequential([Dense(units), TransformerBlock(...), "
         "Lambda(lambda s: s[:, -1])]); then build(...), train_at(model, 20, RECALL_STEPS, 0) and "
         "recall_outcomes(model, 20, 2_000) as in section 2. Self-attention without positions sees the tokens "
         "as a set: which one came first?",
    wrong=[({"accuracy": 0.99, "reason": "no positions"}, "0.9"),
           ({"accuracy": 0.2, "reason": "it is too small"}, "position"),
           ({"accuracy": 1.5, "reason": "positions"}, "between 0 and 1")],
)
def _check_09_2(answer):
    parts = read_mapping(answer, ["accuracy", "reason"], '{"accuracy": 0.2, "reason": "..."}')
    accuracy = read_share(parts["accuracy"], "accuracy")
    reason = parts["reason"]
    if accuracy >= SOLVED_AT:
        raise Wrong(f"accuracy {accuracy:.2f} counts as solved: without positions attention treats the sequence as "
                    "a set — check that AddPositions is really gone from the reader")
    if not isinstance(reason, str) or "position" not in reason.lower() and "order" not in reason.lower():
        raise Wrong("the reason should say what is missing: without a position embedding, attention does not "
                    "know the order of the tokens (mention positions or order)")
    return (f"accuracy {accuracy:.2f}, below 0.9: self-attention is blind to order, so the first token is just one "
            "of 21 tokens to it; positions are what let it find position 0.")
