"""Exercises 09.1–09.2 of lesson 09, recurrent cells in the Transformer era: the key/value cache's memory, and
attention without positions."""

from utils.exercises.core import Wrong, exercise, read_integer, read_mapping, read_share

LAYERS, WIDTH, FLOAT32 = 2, 128, 4  # section 4's streaming Transformer
GRU_STATE_BYTES = 256 * FLOAT32  # a 256-unit GRU's state, float32
SOLVED_AT = 0.9  # lesson 03's "solved"


def _cache_bytes(tokens):
    return LAYERS * 2 * tokens * WIDTH * FLOAT32  # keys and values, every layer, every token


@exercise(
    "09.1",
    question="How many bytes does the key/value cache of section 4's Transformer (2 layers, width 128, float32) "
             "hold after 1,000 tokens, and after how many tokens is it larger than the GRU's 256-unit state?",
    verifies="both numbers, exactly",
    hint="Every layer keeps one key and one value vector of width 128 per token seen, 4 bytes per number. The "
         "GRU's state is 256 numbers, whatever the context. decoder.state_bytes(decoder.prefill(ids)) counts the "
         "cache of a KVCacheDecoder.",
    wrong=[({"cache_bytes": 1_024_000, "tokens_to_exceed_gru": 1}, "keys and values"),
           ({"cache_bytes": 1_024_000 // 2, "tokens_to_exceed_gru": 1}, "keys and values"),
           ({"cache_bytes": 2_048_000 * 8, "tokens_to_exceed_gru": 1}, "bytes"),
           ({"cache_bytes": 2_048_000, "tokens_to_exceed_gru": 256}, "one token")],
)
def _check_09_1(answer):
    parts = read_mapping(answer, ["cache_bytes", "tokens_to_exceed_gru"],
                         '{"cache_bytes": 123, "tokens_to_exceed_gru": 4}')
    cache = read_integer(parts["cache_bytes"], "cache_bytes")
    tokens = read_integer(parts["tokens_to_exceed_gru"], "tokens_to_exceed_gru")
    right = _cache_bytes(1000)
    if cache != right:
        if cache in (right // 2, right // 4):
            raise Wrong(f"{cache:,} bytes: count keys and values, in both layers "
                        "(layers × 2 × tokens × width × 4 bytes)")
        if cache == right * 8:
            raise Wrong(f"{cache:,} is in bits; a float32 number is 4 bytes")
        raise Wrong(f"{cache:,} bytes is not layers × 2 (keys, values) × 1,000 tokens × 128 × 4 bytes")
    first = next(t for t in range(1, 10_000) if _cache_bytes(t) > GRU_STATE_BYTES)
    if tokens != first:
        raise Wrong(f"after {tokens} tokens: one token already costs {_cache_bytes(1):,} bytes of cache "
                    f"against the GRU's {GRU_STATE_BYTES:,} bytes of state")
    return (f"{cache:,} bytes after 1,000 tokens, growing by {_cache_bytes(1):,} per token; the GRU carries "
            f"{GRU_STATE_BYTES:,} bytes at any context, so the cache is larger from the first token on.")


@exercise(
    "09.2",
    question="Remove the position embedding from section 3's attention reader and train it at *T* = 20 (seed 0, "
             "the same budget). What test accuracy does it reach, and why can it not solve the task?",
    verifies="that the accuracy is a share between 0 and 1 below lesson 03's \"solved\" threshold of 0.9 (a reader "
             "without positions cannot tell the first token from the others), and that your reason names the "
             "positions",
    hint="Build the reader without AddPositions: keras.Sequential([Dense(units), TransformerBlock(...), "
         "Lambda(lambda s: s[:, -1])]); then build(...), train_at(model, 20, RECALL_STEPS, 0) and "
         "recall_outcomes(model, 20, 2_000) as in section 3. Self-attention without positions sees the tokens "
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
