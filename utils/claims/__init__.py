"""The claims the course tests: what comparison articles often say about SimpleRNN, LSTM and GRU, paraphrased.

``CLAIMS`` maps each claim's id (``C1`` ...) to its text and the lessons that measure it. The README's list of
claims, the first cell of every lesson and lesson 08's table of verdicts are made from it, so the wording lives
in one place. The verdicts themselves are decided in the lessons from their stored results.

The code lives in the modules of this package: ``core`` (the claims, :class:`Evidence` and the helpers every decider
shares) and one module of deciders per kind of measurement (``accuracy``, ``text_forecast``, ``memory_span``,
``speed_memory``, ``gradients_gates``, ``transformer_edge``); every name is importable from ``utils.claims`` as
before.
"""

from utils.checks import ArgumentTypeError, describe
from utils.claims.accuracy import decide_c1, decide_c11, decide_c13, decide_c14
from utils.claims.core import (  # noqa: F401  (re-exported: the public API of utils.claims)
    CELL_KEYS,
    CHANCE_RECALL,
    CLAIMS,
    FRESH,
    NOTEBOOKS,
    Claim,
    Evidence,
    MissingEvidence,
    _part,
    _record,
    claims_markdown,
    claims_of_lesson,
)
from utils.claims.gradients_gates import C12_ARMS, C12_FAILURE, decide_c9, decide_c10, decide_c12  # noqa: F401
from utils.claims.memory_span import REGIMES, SOLVED, decide_c4, decide_c5  # noqa: F401
from utils.claims.speed_memory import decide_c6, decide_c7, decide_c8
from utils.claims.text_forecast import decide_c2, decide_c3
from utils.claims.transformer_edge import decide_c15, decide_c16, decide_c17

__all__ = ["CLAIMS", "DECIDERS", "Claim", "Evidence", "MissingEvidence", "claims_markdown", "claims_of_lesson",
           "decide_all"]


DECIDERS = {"C1": decide_c1, "C2": decide_c2, "C3": decide_c3, "C4": decide_c4, "C5": decide_c5, "C6": decide_c6,
            "C7": decide_c7, "C8": decide_c8, "C9": decide_c9, "C10": decide_c10, "C11": decide_c11,
            "C12": decide_c12, "C13": decide_c13, "C14": decide_c14, "C15": decide_c15, "C16": decide_c16,
            "C17": decide_c17}


def decide_all(mode="full", evidence=None) -> dict:
    """Every claim's verdict, from the stored results of ``mode`` alone: ``{id: record}``.

    A claim whose stored results are damaged or lack what its decider reads (a model, a key, a readable file) is
    not decided, and its one part says which file and what is missing; the other claims are decided as usual."""
    if evidence is None:
        evidence = Evidence(mode)
    elif not isinstance(evidence, Evidence):
        raise ArgumentTypeError(f"evidence must be None (read the stored results of mode) or an Evidence, got "
                                f"{describe(evidence)}")
    return {cid: _decided(cid, decider, evidence) for cid, decider in DECIDERS.items()}


def _decided(cid, decider, ev):
    """``decider(ev)``, or a not-decided record naming the file and what in it is missing or damaged."""
    ev.read = []
    try:
        return decider(ev)
    except MissingEvidence as error:
        reason = str(error)
    except (LookupError, TypeError, ValueError, AttributeError, ArithmeticError) as error:
        *before, last = ev.read or ["the stored results"]  # the file read last is the likeliest culprit
        what = f"key {error.args[0]!r} missing" if isinstance(error, KeyError) and error.args else \
            f"damaged ({type(error).__name__}: {error})"
        restore = ("run its lesson again in fast mode" if ev.mode == "fast" else
                   f"restore it with git checkout -- {last} (or run its lesson again in full mode)")
        also = f" (the claim also read {', '.join(before)})" if before else ""
        reason = f"{last}: {what}{also}; {restore}"
    return _record(cid, [_part("measured", "not decided", reason)])
