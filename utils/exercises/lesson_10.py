"""Exercises 10.1–10.3 of lesson 10, streaming, the edge and counting: what int8 saves, what the counting task
scores, and the memory of a key/value cache."""

from utils.exercises.core import Wrong, exercise, read_choice, read_integer, read_integers, read_mapping

EMBEDDING, UNITS, SHOW_N = 64, 128, 5
LSTM_WEIGHTS = 4 * (EMBEDDING * UNITS + UNITS * UNITS + UNITS)  # four gates: input, recurrent, bias


@exercise(
    "10.1",
    question="How many weights does the LSTM layer of section 3 hold (embedding 64, 128 units), and how many bytes "
             "do they take in float32 and at one byte each in int8?",
    verifies="the three numbers, exactly (int8 at one byte per weight, biases included, although the file keeps the "
             "biases and the per-column scales in float32)",
    hint="An LSTM has four gates; each has a matrix from the input (64 × 128), one from the state (128 × 128) and a "
         "bias (128). model.layers[2].count_params() counts them for you; a float32 number takes 4 bytes.",
    wrong=[({"weights": 3 * (64 * 128 + 128 * 128 + 2 * 128), "float32_bytes": 1, "int8_bytes": 1}, "four gates"),
           ({"weights": 4 * (64 + 128) * 128, "float32_bytes": 1, "int8_bytes": 1}, "bias"),
           ({"weights": LSTM_WEIGHTS, "float32_bytes": 32 * LSTM_WEIGHTS, "int8_bytes": LSTM_WEIGHTS}, "bits"),
           ({"weights": LSTM_WEIGHTS, "float32_bytes": 4 * LSTM_WEIGHTS, "int8_bytes": 4 * LSTM_WEIGHTS},
            "one byte")],
)
def _check_10_1(answer):
    weights, float32, int8 = read_integers(
        answer, ["weights", "float32_bytes", "int8_bytes"],
        '{"weights": 123, "float32_bytes": 492, "int8_bytes": 123}').values()
    if weights != LSTM_WEIGHTS:
        if weights in (3 * (EMBEDDING * UNITS + UNITS * UNITS + UNITS),
                       3 * (EMBEDDING * UNITS + UNITS * UNITS + 2 * UNITS)):
            raise Wrong(f"{weights:,} is a GRU's count (three gates); an LSTM has four gates")
        if weights == 4 * (EMBEDDING + UNITS) * UNITS:
            raise Wrong(f"{weights:,} leaves out the bias: each of the four gates has 128 of them")
        raise Wrong(f"{weights:,} is not 4 gates × (64 × 128 input weights + 128 × 128 recurrent weights + 128 "
                    "biases)")
    if float32 == 32 * weights or int8 == 8 * weights:
        raise Wrong("those are bits: a float32 number takes 4 bytes, an int8 one 1 byte")
    if float32 != 4 * weights:
        raise Wrong(f"{float32:,} bytes: a float32 number takes 4 bytes, so {weights:,} of them take "
                    f"{4 * weights:,}")
    if int8 != weights:
        raise Wrong(f"{int8:,} bytes: int8 stores each weight in one byte, so the matrices take {weights:,}")
    return (f"{weights:,} weights: {float32:,} bytes in float32, {int8:,} in int8 — a quarter, which is why the "
            "int8 files of section 3 are about a quarter of the float32 ones.")


SCORED_CHOICES = {"a": "while it reads a's, the next token may be another a or the first b: no model can know "
                       "which, so scoring it would only measure a guess",
                  "b": "the a's are too easy to predict to be worth scoring",
                  "c": "scoring fewer positions makes training faster"}


@exercise(
    "10.2",
    question="How many positions of a⁵b⁵ are scored, and why is nothing scored while the model reads the a's?",
    verifies="the number of scored positions and the choice of why",
    hint="anbn_batch([5]).show() prints the sequence with x under each scored position; batch.mask.sum() counts "
         "them. After the first b, is anything left to chance?",
    options=SCORED_CHOICES,
    wrong=[({"scored": 10, "why": "a"}, "first b"), ({"scored": 5, "why": "b"}, "undetermined"),
           ({"scored": 5, "why": "c"}, "undetermined"), ({"scored": 4, "why": "a"}, "end marker")],
)
def _check_10_2(answer):
    parts = read_mapping(answer, ["scored", "why"], '{"scored": 3, "why": "a"}')
    scored = read_integer(parts["scored"], "scored")
    if scored == 2 * SHOW_N:
        raise Wrong("10 counts the a's too: only the predictions made after reading the first b are scored")
    if scored == SHOW_N - 1:
        raise Wrong("4 leaves out the end marker: after the last b the model must predict $, and that counts")
    if scored != SHOW_N:
        raise Wrong(f"{scored} positions: the scored ones are those after the first b is read — the 4 remaining "
                    "b's and the end marker")
    why = read_choice(parts["why"], SCORED_CHOICES, "why")
    if why != "a":
        raise Wrong(f"why '{why}': the a-phase is not scored because its next token is undetermined — another a "
                    "or the first b are both possible")
    return (f"{scored} positions for n = 5: once the first b is read, the rest is fixed, and getting the end marker "
            "right needs the count of a's.")


LAYERS, WIDTH, FLOAT32 = 2, 128, 4  # section 2's streaming Transformer
GRU_STATE_BYTES = 256 * FLOAT32  # a 256-unit GRU's state, float32


def _cache_bytes(tokens):
    return LAYERS * 2 * tokens * WIDTH * FLOAT32  # keys and values, every layer, every token


@exercise(
    "10.3",
    question="How many bytes does the key/value cache of section 2's Transformer (2 layers, width 128, float32) "
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
def _check_10_3(answer):
    cache, tokens = read_integers(answer, ["cache_bytes", "tokens_to_exceed_gru"],
                                  '{"cache_bytes": 123, "tokens_to_exceed_gru": 4}').values()
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
