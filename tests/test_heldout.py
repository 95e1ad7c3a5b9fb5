"""The held-out phrasings (tests/heldout/, written by someone who never saw the model) stay
held out, and every pain statement among them gets a safety answer. The share answered
fittingly is a measure, not a pass mark: `python -m bench.understanding` prints it."""

import json
import re
import tomllib

import pytest

from bench.understanding import (
    HELDOUT,
    NOT_HELD_OUT,
    SECOND,
    SECOND_NOT_HELD_OUT,
    load_lines,
    prepare,
)
from skill.chat.nlu import nlu_for, normalize
from skill.chat.simulator import MODELS_DIR, session_open, speech_of
from skill.domain.safety import load_safety

LINES = load_lines(HELDOUT)
SECOND_LINES = load_lines(SECOND)
GRAMMAR = MODELS_DIR / "grammar.toml"
PAIN = [line for line in LINES if line.expect in ("pain", "pain_urgent")]


def test_the_set_is_big_and_covers_every_context():
    assert len(LINES) >= 150
    assert {line.context for line in LINES} == {
        "fresh", "in_session", "mid_exercise", "paused", "after_offer",
    }  # fmt: skip
    assert len(PAIN) >= 10


def written_phrases() -> set[str]:
    """Every phrase somebody wrote down as a sample: the hand-written samples of the source
    model, and every `core` item and pattern of the sample grammar that is plain words. (A
    composition of grammar parts, like a slot sample filled with a value, is a pattern, not a
    pasted line; `python -m bench.understanding` counts the held-out lines it happens to
    make.)"""
    source = json.loads((MODELS_DIR / "en-US.json").read_text(encoding="utf-8"))
    phrases = {
        normalize(sample)
        for intent in source["interactionModel"]["languageModel"]["intents"]
        for sample in intent.get("samples", [])
        if "{" not in sample
    }
    rules = tomllib.loads(GRAMMAR.read_text(encoding="utf-8"))
    items = []
    for table in rules.get("intents", {}).values():
        items += [*table.get("core", []), *table.get("patterns", [])]
    phrases |= {normalize(item) for item in items if not re.search(r"[(\[<{]", item)}
    return phrases


def test_no_held_out_line_is_written_into_the_model_or_the_grammar():
    written = written_phrases()
    already = {normalize(line) for line in NOT_HELD_OUT.read_text().splitlines() if line}
    pasted = [line.say for line in LINES if normalize(line.say) in written - already]
    assert pasted == []
    # The second set's common lines that the model already held when it was written (the
    # model work never saw it): listed, like the first set's.
    common = {normalize(line) for line in SECOND_NOT_HELD_OUT.read_text().splitlines() if line}
    assert [line.say for line in SECOND_LINES if normalize(line.say) in written - common] == []


def test_the_second_set_is_a_full_set_of_its_own():
    assert len(SECOND_LINES) == 200
    assert {line.context for line in SECOND_LINES} == {line.context for line in LINES}
    # Two writers' sets share the commonest lines ("pause", "how am i doing"); the bench
    # reports the second set's share without them too.
    assert len({line.say for line in SECOND_LINES} - {line.say for line in LINES}) >= 150


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
