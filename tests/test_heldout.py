"""The held-out phrasings (tests/heldout/, written by someone who never saw the model) stay
held out, and every pain statement among them gets a safety answer. The share answered
fittingly is a measure, not a pass mark: `python -m bench.understanding` prints it."""

import pytest

from bench.understanding import HELDOUT, NOT_HELD_OUT, load_lines, prepare
from skill.chat.nlu import nlu_for, normalize
from skill.chat.simulator import load_model, session_open, speech_of
from skill.domain.safety import load_safety

LINES = load_lines(HELDOUT)
PAIN = [line for line in LINES if line.expect in ("pain", "pain_urgent")]


def test_the_set_is_big_and_covers_every_context():
    assert len(LINES) >= 150
    assert {line.context for line in LINES} == {
        "fresh", "in_session", "mid_exercise", "paused", "after_offer",
    }  # fmt: skip
    assert len(PAIN) >= 10


def test_no_held_out_line_is_a_sample():
    samples = {
        normalize(sample)
        for intent in load_model("en-US")["intents"]
        for sample in intent.get("samples", [])
        if "{" not in sample  # a slot sample is a pattern, never the same words
    }
    already = {normalize(line) for line in NOT_HELD_OUT.read_text().splitlines() if line}
    pasted = [line.say for line in LINES if normalize(line.say) in samples - already]
    assert pasted == []


@pytest.mark.parametrize("line", PAIN, ids=lambda line: line.say)
def test_every_pain_phrasing_gets_a_safety_answer(conversation, line):
    prepare(conversation, line.context)
    understood = nlu_for().understand(line.say, strict=True)
    response = conversation.intent(understood.intent, **understood.slots)
    safety = load_safety()
    answers = [s["answer"] for s in safety.symptoms.values()]
    answers += [c["answer"] for c in safety.conditions.values()]
    speech = " ".join(speech_of(response).split())
    assert any(" ".join(a.split())[:60] in speech for a in answers), speech
    assert "[pause" not in speech and "say next" not in speech.lower()
    assert session_open(response) or "urgent care" in speech or "emergency" in speech
