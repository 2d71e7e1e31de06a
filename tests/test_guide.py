"""utils.guide: lesson 08's decision guide, answered from verdicts only."""

from utils.guide import GUIDE, NOT_DECIDED, guide_lines


def _decided(verdict):
    return {cid: {"verdict": verdict, "parts": [{"part": f"{word or cid} part", "verdict": verdict}]}
            for _, cid, word, _ in GUIDE}


def test_every_question_is_answered_and_names_what_it_rests_on():
    lines = guide_lines(_decided("holds"))
    assert len(lines) == len(GUIDE)
    assert all("[C" in line for line in lines)


def test_not_decided_gives_no_advice_and_a_missing_claim_says_so():
    assert all(NOT_DECIDED in line for line in guide_lines(_decided("not decided")))
    assert all("not measured in this mode" in line for line in guide_lines({}))


def test_a_verdict_without_an_answer_points_to_its_evidence():
    lines = guide_lines(_decided("not comparable"))
    assert any("read its evidence in appendix A2" in line for line in lines)
