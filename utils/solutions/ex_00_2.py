"""Exercise 00.2: which words truncating='pre' and truncating='post' drop."""
import keras

sentences = ["a wonderful film", "not a good film at all", "dull"]
vectorize = keras.layers.TextVectorization(output_mode="int")
vectorize.adapt(sentences)
vocabulary = [str(word) for word in vectorize.get_vocabulary()]
ids = [vectorize(s).numpy().tolist() for s in sentences]

lost = {}
for side in ("pre", "post"):
    padded = keras.utils.pad_sequences(ids, maxlen=4, truncating=side).tolist()
    for original, kept in zip(ids, padded):
        kept = [i for i in kept if i != 0]  # padding zeros are not words
        if len(kept) < len(original):
            dropped = original[: len(original) - len(kept)] if side == "pre" else original[len(kept):]
            lost[side] = [vocabulary[i] for i in dropped]
            print(f"truncating={side!r}: kept {[vocabulary[i] for i in kept]}, lost {lost[side]}")

answer = lost  # {"pre": ["not", "a"], "post": ["at", "all"]}
