"""Lesson 08's decision guide: questions a practitioner asks, each answered from a claim's stored verdict.

    for line in guide_lines(decide_all("full")):
        print(line)

Each entry is (question, claim, which parts: a word of their text or None for the whole claim, what a verdict
tells you). The answers say only what the course decided: a part that is not decided gives no advice, and every
line names the claim and part it rests on, with its budget in the part's own words.

Before the questions, :func:`baseline_text` says which recurrent models each task lesson decided better than its
simple baseline; after them, :func:`comparison_guide_line` answers a question from one comparison of the lesson.
"""

from collections import Counter

from utils.checks import ArgumentTypeError, describe

__all__ = ["BASELINE_LESSONS", "GUIDE", "NOT_DECIDED", "OUTCOME_SENTENCES", "against_baselines", "baseline_text",
           "comparison_guide_line", "guide_lines", "outcome_sentence"]

GUIDE = [  # (question, claim, which parts: a word of their text or None for the whole claim,
          #  what a verdict tells you); a part measured in several configurations is counted
    ("Little data: does a SimpleRNN do as well as an LSTM?", "C14", "SimpleRNN is as good",
     {"holds": "yes: on the smallest training set it did as well as the LSTM or better",
      "does not hold": "no: on the smallest training set the LSTM was decidedly better"}),
    ("Memory span: does a SimpleRNN forget beyond 50 steps, an LSTM remember 100+?", "C4", None,
     {"partly holds": "some of its parts hold, others do not: see C4's parts, per way of training",
      "holds": "yes, in every way of training lesson 03 tried",
      "does not hold": "no, in none of the ways of training lesson 03 tried"}),
    ("Training speed (CPU): is the SimpleRNN faster than the GRU?", "C6", "simple_rnn trains",
     {"holds": "yes, decidedly, across the benchmark's configurations on this CPU",
      "partly holds": "at some widths, not at others: see C6's evidence",
      "does not hold": "no: the GRU was as fast or faster"}),
    ("Training speed (CPU): is the GRU faster than the LSTM?", "C6", "gru trains",
     {"holds": "yes, decidedly, across the benchmark's configurations on this CPU",
      "partly holds": "it depends on the width: see C6's evidence",
      "does not hold": "no: the LSTM was as fast or faster"}),
    ("Training memory: does the SimpleRNN need less than the GRU?", "C8", "simple_rnn less",
     {"holds": "yes, decidedly, at the one configuration measured",
      "does not hold": "no: the GRU needed decidedly less, or as much"}),
    ("Training memory: does the GRU need less than the LSTM?", "C8", "gru less",
     {"holds": "yes, decidedly, at the one configuration measured",
      "does not hold": "no: the LSTM needed decidedly less, or as much"}),
    ("LSTM or GRU, for accuracy (IMDB)?", "C11", "accuracy (IMDB)",
     {"holds": "the GRU was as accurate as the LSTM (equivalent within a point) or better",
      "does not hold": "the LSTM was decidedly more accurate"}),
    ("LSTM or GRU, at equal training time (Shakespeare, a minute on a CPU)?", "C11", "Shakespeare",
     {"holds": "the GRU reached a loss as low as the LSTM's or lower, with its own tuned settings",
      "does not hold": "the LSTM reached a decidedly lower loss"}),
    ("LSTM or GRU, for compute (IMDB epoch time)?", "C11", "cheaper",
     {"holds": "the GRU's IMDB epoch was decidedly cheaper than the LSTM's",
      "does not hold": "the LSTM's IMDB epoch was as cheap or cheaper"}),
    ("Whole documents: do bidirectional reading and dropout help?", "C13", None,
     {"holds": "both helped decidedly",
      "partly holds": "one of the two helped decidedly; the other did not, or is not decided"}),
    ("On a small device: does int8 keep a cell's quality?", "C15", "quantised to int8",
     {"holds": "yes: in int8 each cell's loss moved by less than 0.02 nats/char",
      "does not hold": "no: int8 moved some cell's loss by more than 0.02 nats/char"}),
    ("On a small device: is the SimpleRNN the fastest per step?", "C15", "SimpleRNN is the fastest",
     {"holds": "yes, decidedly faster per int8 LiteRT step than the LSTM and the GRU",
      "does not hold": "no: another cell was as fast or faster"}),
    ("On a small device: is the GRU lighter and faster than the LSTM?", "C15", "GRU is lighter",
     {"holds": "yes: a smaller int8 file and decidedly faster steps",
      "does not hold": "no: its file was not smaller, or its steps not faster"}),
    ("Counting: does an LSTM count further than a GRU (C17)?", "C17", None,
     {"holds": "yes: trained on n up to 20, the LSTM counted right to a decidedly larger n",
      "does not hold": "no: the GRU counted as far or further"}),
]
NOT_DECIDED = "not decided at this budget: no advice here rests on it"

def _parts_of(decided, cid, word):
    """The claim's parts whose text holds ``word``; the whole claim for None."""
    if word is None:
        return [{"part": cid, "verdict": decided[cid]["verdict"]}]
    return [p for p in decided[cid]["parts"] if word in p["part"]]


def guide_lines(decided) -> list:
    """The guide's lines (a question, then its answer and what it rests on) from ``decide_all``'s verdicts."""
    lines = []
    for question, cid, word, answers in GUIDE:
        found = _parts_of(decided, cid, word) if cid in decided else []
        if not found:
            answer, which = NOT_DECIDED, f"{cid}: not measured in this mode"
        elif len(found) > 1:  # one comparison per configuration: count the verdicts
            counts = Counter(p["verdict"] for p in found)
            answer = "; ".join(f"{verdict} in {n} of {len(found)} configurations" for verdict, n in counts.items())
            which = f"{cid}, {word}"
        else:
            verdict = found[0]["verdict"]
            answer = answers.get(verdict, NOT_DECIDED if verdict == "not decided"
                                 else f"{verdict}: read its evidence in appendix A2")
            which = (f"{cid}: " if word is not None else "") + f"{found[0]['part']}: {verdict}"
        lines.append(f"{question}\n    {answer} [{which}]")
    return lines


# ---------------------------------------------------------------- one comparison, in words
OUTCOME_SENTENCES = {"A better": "{a} is decidedly more accurate than {b}",
                     "B better": "{b} is decidedly more accurate than {a}",
                     "equivalent": "{a} and {b} are equivalent within ±0.01",
                     "not decided": "not decided between {a} and {b}: the interval is too wide (not a tie)"}


def _comparison(comparison):
    if not all(hasattr(comparison, key) for key in ("outcome", "name_a", "name_b", "verdict")):
        raise ArgumentTypeError(f"comparison must be a utils.verdicts Comparison (from compare or correct), "
                                f"got {describe(comparison)}")
    if comparison.outcome not in OUTCOME_SENTENCES:
        raise ValueError(f"comparison.outcome must be one of {tuple(OUTCOME_SENTENCES)}, got {comparison.outcome!r}")
    return comparison


def outcome_sentence(comparison, a=None, b=None) -> str:
    """What an accuracy comparison's outcome means, naming A and B (their names in the comparison, or ``a``, ``b``);
    "equivalent" is within the accuracy margin of ±0.01."""
    comparison = _comparison(comparison)
    return OUTCOME_SENTENCES[comparison.outcome].format(a=a or comparison.name_a, b=b or comparison.name_b)


def comparison_guide_line(question: str, comparison, a: str, b: str, where: str) -> str:
    """A guide entry answered from one comparison: the question, then its outcome in words and ``[where: verdict]``."""
    if not isinstance(question, str) or not question.strip() or not isinstance(where, str):
        raise ArgumentTypeError(f"question and where must be texts, got {describe(question)} and {describe(where)}")
    return f"{question}\n    {outcome_sentence(comparison, a, b)} [{where}: {_comparison(comparison).verdict}]"


# ---------------------------------------------------------------- the baselines first
BASELINE_LESSONS = ("sentiment", "sentiment_deeper", "text_generation", "stock_forecasting")
_DEFAULT_BASELINES = {"tfidf_logreg", "persistence"}


def against_baselines(results: dict, lesson: str) -> dict:
    """``{model: outcome (baseline)}`` of the comparisons with a baseline that ``lesson`` stored (its
    ``comparisons`` named ``<model>_vs_<baseline>``, and lesson 07's ``against_persistence``); {} if none."""
    if not isinstance(results, dict):
        raise ArgumentTypeError(f"results must be collect_results()'s dict of lesson -> results, "
                                f"got {describe(results)}")
    if not isinstance(lesson, str):
        raise ArgumentTypeError(f"lesson must be a lesson's results name such as 'sentiment', got {describe(lesson)}")
    stored = results.get(lesson, {})
    if not isinstance(stored, dict):
        raise ArgumentTypeError(f"results[{lesson!r}] must be a lesson's results dict, got {describe(stored)}")
    baselines = set(stored.get("baselines") or {}) | _DEFAULT_BASELINES
    found = {}
    for name, text in (stored.get("comparisons") or {}).items():
        model, _, other = name.partition("_vs_")
        if other in baselines and isinstance(text, str):
            found[model] = text.rsplit("-> ", 1)[-1] + f" ({other})"
    for model, verdict in (stored.get("against_persistence") or {}).items():  # lesson 07
        if isinstance(verdict, str) and model in (stored.get("models") or {}):
            found[model] = verdict + " (against persistence)"
    return found


def baseline_text(results: dict, lessons=BASELINE_LESSONS) -> str:
    """Per lesson: each model's stored outcome against its baseline, and which models are decidedly ahead."""
    if isinstance(lessons, str) or not hasattr(lessons, "__iter__"):
        raise ArgumentTypeError(f"lessons must be a list of lesson names, got {describe(lessons)}")
    lines = []
    for lesson in lessons:
        found = against_baselines(results, lesson)
        ahead = [m for m, outcome in found.items() if outcome.startswith(f"{m} better")]
        lines.append(f"{lesson}: " + ("; ".join(f"{m}: {o}" for m, o in found.items()) or "no stored comparisons"))
        if found:
            lines.append(f"  -> decidedly ahead of the baseline: {', '.join(ahead) or 'none'}")
    return "\n".join(lines)
