"""PPMd as a language model: how many bits per character a strong text compressor spends.

PPMd ("prediction by partial matching", variant I as in ``pyppmd.compress``) predicts each byte from the
longest context of up to ``order`` bytes that it has seen before, escaping to shorter contexts for new
ones, and codes the byte with an arithmetic coder: the compressed size *is* its log-loss. Like the
lesson's gzip / bz2 / lzma numbers, it can be measured on a text alone or after a ``before`` text
(the training plays), counting only the bytes the text adds:

    ppmd_bits_per_char(test_text)                      # the test plays alone
    ppmd_bits_per_char(test_text, before=train_text)   # after reading the training plays first
    choose_ppmd_order(train_text, validation_text)     # the order, chosen on the validation plays

The model lives in ``memory_mb`` megabytes; when they are full PPMd starts afresh and forgets. 256 MB
hold the model of the ~5 million characters of these plays up to order 16; with 64 MB, order 12
already loses about 0.1 bit per character.
"""

from utils.checks import ArgumentTypeError, describe, is_int

MAX_MEMORY_MB = 4000  # PPMd addresses its memory with 32-bit offsets


def ppmd_bits_per_char(text, before="", *, order=6, memory_mb=256):
    """Bits per character that PPMd spends on ``text`` after it has read ``before`` (UTF-8 bytes of both).

    ``before + text`` is compressed as one stream (the bytes are exactly ``pyppmd.compress(before + text)``);
    the bytes written after ``before`` was read, end of stream included, are counted and divided by the number
    of characters of ``text``. This equals ``(len(compress(before + text)) - len(compress(before))) * 8 /
    len(text)`` — the lesson's measure for gzip, bz2 and lzma — except for the few bytes (about 10) that
    ``compress(before)`` spends closing its own stream, and it reads ``before`` once instead of twice.
    ``order`` is PPMd's longest context, 2 … 64 bytes.
    """
    if not isinstance(text, str) or not text:
        raise ArgumentTypeError(f"text must be a non-empty string, got {describe(text)}")
    if not isinstance(before, str):
        raise ArgumentTypeError(f"before must be a string ('' for none), got {describe(before)}")
    encoder = _encoder(order, memory_mb)
    encoder.encode(before.encode())
    extra = len(encoder.encode(text.encode())) + len(encoder.flush())
    return 8 * extra / len(text)


def choose_ppmd_order(before, validation_text, orders=range(4, 13), *, memory_mb=256):
    """The PPMd order that spends the fewest bits per character on ``validation_text`` after ``before``.

    Returns ``{"order": best, "bits_per_char_by_order": {order: bits}}``; ties go to the smaller order.
    Each order reads ``before`` once: about a second per order for the 4 million training characters.
    """
    if not isinstance(before, str):
        raise ArgumentTypeError(f"before must be a string (the training text), got {describe(before)}")
    if not isinstance(validation_text, str) or not validation_text:
        raise ArgumentTypeError(f"validation_text must be a non-empty string, got {describe(validation_text)}")
    if isinstance(orders, str) or not hasattr(orders, "__iter__"):
        raise ArgumentTypeError(f"orders must be a list or range of orders such as range(4, 13), "
                                f"got {describe(orders)}")
    orders = sorted({_order(n) for n in orders})
    if not orders:
        raise ValueError("orders must name at least one order")
    bits = {int(n): ppmd_bits_per_char(validation_text, before, order=n, memory_mb=memory_mb) for n in orders}
    return {"order": min(bits, key=lambda n: (bits[n], n)), "bits_per_char_by_order": bits}


def _order(order):
    if not is_int(order) or not 2 <= order <= 64:
        raise ValueError(f"order must be an integer from 2 to 64 (PPMd's longest context), got {describe(order)}")
    return int(order)


def _encoder(order, memory_mb):
    order = _order(order)
    if not is_int(memory_mb) or not 1 <= memory_mb <= MAX_MEMORY_MB:
        raise ValueError(f"memory_mb must be an integer from 1 to {MAX_MEMORY_MB} (megabytes for PPMd's model), "
                         f"got {describe(memory_mb)}")
    try:
        import pyppmd
    except ImportError:
        raise ImportError("ppmd_bits_per_char needs the pyppmd package: pip install pyppmd==1.3.1") from None
    return pyppmd.Ppmd8Encoder(order, int(memory_mb) << 20)
