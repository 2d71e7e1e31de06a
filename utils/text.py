"""Reviews to padded integer sequences with Keras' ``TextVectorization``."""

import numpy as np

from utils.checks import ArgumentTypeError, describe, is_int, text_list


class ReviewEncoder:
    """Maps texts to ``[n, max_len]`` int32 word ids; the vocabulary comes from the training texts only.

    ``TextVectorization`` lower-cases, strips punctuation and splits on whitespace; id 0 is padding and
    id 1 is ``[UNK]`` (a word outside the ``vocab_size`` most frequent training words). Sequences are then
    padded or cut to ``max_len`` with ``keras.utils.pad_sequences``: ``padding="post"`` puts the zeros at
    the end; ``truncating="pre"`` keeps the *last* ``max_len`` words of a long text.
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
            raise ValueError("train_texts is empty: the vocabulary needs training texts")
        self.max_len, self.padding, self.truncating = max_len, padding, truncating
        self.vectorizer = keras.layers.TextVectorization(max_tokens=vocab_size, ragged=True)
        self.vectorizer.adapt(texts.astype(str))

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
