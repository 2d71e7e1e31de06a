"""PPMd bits per character (utils.compression)."""

import pyppmd
import pytest

from utils.compression import choose_ppmd_order, ppmd_bits_per_char

BEFORE = "Now is the winter of our discontent made glorious summer by this sun of York.\n" * 40
TEXT = "Now is the winter of our discontent made glorious summer by this sun of York.\n" * 5


def test_reading_the_text_before_makes_it_cheap():
    alone = ppmd_bits_per_char(TEXT, order=6)
    after = ppmd_bits_per_char(TEXT, BEFORE, order=6)
    assert 0 < after < alone < 8
    assert ppmd_bits_per_char(TEXT, "", order=6) == alone


def test_agrees_with_the_lessons_difference_of_compressed_sizes():
    """(len(compress(before + text)) - len(compress(before))) * 8 / len(text), up to the closing bytes."""
    for before in ("", BEFORE):
        for order in (4, 8):
            full = len(pyppmd.compress(before + TEXT, max_order=order, mem_size=16 << 20))
            prefix = len(pyppmd.compress(before, max_order=order, mem_size=16 << 20)) if before else 0
            expected = 8 * (full - prefix) / len(TEXT)
            got = ppmd_bits_per_char(TEXT, before, order=order, memory_mb=16)
            assert got == pytest.approx(expected, abs=8 * 16 / len(TEXT))
            if not before:
                assert got == expected  # nothing before: exactly the compressed size of the text


def test_choose_ppmd_order_returns_the_best_of_the_orders_tried():
    chosen = choose_ppmd_order(BEFORE, TEXT, orders=[2, 4, 8], memory_mb=16)
    bits = chosen["bits_per_char_by_order"]
    assert sorted(bits) == [2, 4, 8] and chosen["order"] == min(bits, key=bits.get)
    assert bits[8] < bits[2]  # long repeats: longer contexts help
    assert bits[4] == ppmd_bits_per_char(TEXT, BEFORE, order=4, memory_mb=16)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (("",), {}, "text"),
        ((b"bytes",), {}, "text"),
        (("abc", None), {}, "before"),
        (("abc",), {"order": 1}, "order"),
        (("abc",), {"order": 65}, "order"),
        (("abc",), {"order": 6.0}, "order"),
        (("abc",), {"memory_mb": 0}, "memory_mb"),
        (("abc",), {"memory_mb": 10_000}, "memory_mb"),
    ],
)
def test_ppmd_bits_per_char_refuses_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ppmd_bits_per_char(*args, **kwargs)


def test_choose_ppmd_order_refuses_bad_input():
    with pytest.raises(ValueError, match="orders"):
        choose_ppmd_order(BEFORE, TEXT, orders=6)
    with pytest.raises(ValueError, match="orders"):
        choose_ppmd_order(BEFORE, TEXT, orders=[])
    with pytest.raises(ValueError, match="order"):
        choose_ppmd_order(BEFORE, TEXT, orders=[1, 4])
    with pytest.raises(ValueError, match="before"):
        choose_ppmd_order(None, TEXT)
