"""Reviews to padded integer sequences with Keras' ``TextVectorization``."""

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, text_list


class ReviewEncoder:
    """Maps texts to ``[n, max_len]`` int32 word ids; the vocabulary comes from the training texts only.

    ``TextVectorization`` lower-cases, strips punctuation and splits on whitespace; id 0 is padding and
    id 1 is ``[UNK]`` (a word outside the ``vocab_size`` most frequent training words). Sequences are then
    padded or cut to ``max_len`` with ``keras.utils.pad_sequences``: ``padding="post"`` puts the zeros at
    the end; ``truncating="pre"`` keeps the *last* ``max_len`` words of a long text.

    ``train_texts`` is a list (or Series, array, …) of strings; at least one must hold a word once standardised,
    or a ``ValueError`` says so (a bare string, or an item that is not a string, is a ``TypeError``).
    """

    def __init__(self, train_texts, vocab_size=20_000, max_len=300, padding="post", truncating="pre"):
        import keras

        if not is_int(vocab_size) or vocab_size < 3:
            raise ValueError(f"vocab_size must be an integer of at least 3, got {describe(vocab_size)}")
        if not is_int(max_len) or max_len <= 0:
            raise ValueError(f"max_len must be a positive integer, got {describe(max_len)}")
        vocab_size, max_len = int(vocab_size), int(max_len)
        for name, value in (("padding", padding), ("truncating", truncating)):
            if not isinstance(value, str) or value not in ("pre", "post"):
                raise ValueError(f"{name} must be 'pre' or 'post', got {describe(value)}")
        texts = np.asarray(text_list(train_texts, "train_texts"), dtype=object)
        if len(texts) == 0:
            raise ValueError(f"train_texts is empty ({describe(train_texts)}): the vocabulary needs at least one "
                             "training text with at least one word")
        self.max_len, self.padding, self.truncating = max_len, padding, truncating
        self.vectorizer = keras.layers.TextVectorization(max_tokens=vocab_size, ragged=True)
        self.vectorizer.adapt(texts.astype(str))
        if self.vectorizer.vocabulary_size() <= 2:  # only padding and [UNK]: no training text had a word
            shown = ", ".join(repr(str(text) if len(text) <= 20 else str(text)[:17] + "...") for text in texts[:3])
            more = f" and {len(texts) - 3:,} more" if len(texts) > 3 else ""
            raise ValueError(
                f"train_texts has no words: its {len(texts):,} text(s) ({shown}{more}) are empty or only spaces "
                "and punctuation once lower-cased and stripped of punctuation, so the vocabulary would hold no word "
                "and no review could be encoded; give at least one training text with at least one word")

    @property
    def vocabulary(self) -> list:
        return [str(word) for word in self.vectorizer.get_vocabulary()]

    def ids(self, text: str) -> list:
        """The word ids of one text, unpadded."""
        if not isinstance(text, str):
            raise ArgumentTypeError(f"text must be one text (str), got {describe(text)}")
        return self.vectorizer(np.asarray([text])).to_list()[0]

    def __call__(self, texts) -> np.ndarray:
        import keras

        texts = np.asarray([texts] if isinstance(texts, str) else text_list(texts, "texts"), dtype=object).astype(str)
        if len(texts) == 0:
            return np.zeros((0, self.max_len), dtype="int32")
        ragged = self.vectorizer(texts).to_list()
        return keras.utils.pad_sequences(ragged, maxlen=self.max_len, padding=self.padding,
                                         truncating=self.truncating).astype("int32")


def bucket_by_length(x, y, *, batch_size=64, shuffle=False, seed=0, bucket_width=25):
    """A ``tf.data`` pipeline of batches of reviews of similar length, each padded only to its longest review.

    ``x`` is ``[n, max_len]`` post-padded word ids (zeros at the end, as ``ReviewEncoder`` makes them by
    default), ``y`` the ``n`` labels. Reviews are grouped by length in buckets ``bucket_width`` tokens wide
    (``tf.data.Dataset.bucket_by_sequence_length``), so a batch of short reviews costs a short loop instead of
    ``max_len`` steps. With ``shuffle=True`` the reviews are reshuffled every epoch (seeded by ``seed``).
    Batches have shape ``[<= batch_size, <= max_len]``; keep ``mask_zero=True`` in the embedding, since a batch
    is still padded to its longest review.
    """
    import tensorflow as tf

    from utils.checks import positive_int

    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim != 2 or x.dtype.kind not in "iu":
        raise ValueError(f"x must be a [n, max_len] array of integer word ids, got shape {x.shape} of {x.dtype}")
    if y.ndim != 1 or len(y) != len(x) or len(x) == 0:
        raise ValueError(f"y must hold one label per review: {len(x)} reviews, got shape {y.shape}")
    batch_size = positive_int(batch_size, "batch_size")
    bucket_width = positive_int(bucket_width, "bucket_width")
    if not isinstance(shuffle, bool):
        raise ArgumentTypeError(f"shuffle must be True or False, got {describe(shuffle)}")
    nonzero = x != 0
    lengths = np.where(nonzero.any(axis=1), x.shape[1] - np.argmax(nonzero[:, ::-1], axis=1), 1)
    if np.any((x[:, 0] == 0) & nonzero.any(axis=1)):
        raise ValueError("x must be post-padded (zeros only at the end of each row): encode with padding='post'")
    data = tf.data.Dataset.from_tensor_slices((x, lengths.astype("int32"), y))
    if shuffle:
        data = data.shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    data = data.map(lambda ids, length, label: (ids[:length], label))  # drop each review's padding
    boundaries = list(range(bucket_width, x.shape[1] + 1, bucket_width))
    data = data.bucket_by_sequence_length(lambda ids, label: tf.shape(ids)[0], boundaries,
                                          [batch_size] * (len(boundaries) + 1))
    per_bucket = np.bincount(np.searchsorted(boundaries, lengths, side="right"), minlength=len(boundaries) + 1)
    batches = int(np.sum(-(-per_bucket // batch_size)))  # so that Keras knows the length of an epoch
    return data.apply(tf.data.experimental.assert_cardinality(batches)).prefetch(tf.data.AUTOTUNE)
