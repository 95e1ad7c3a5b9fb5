"""The scripted conversations in tests/dialogs/*.yaml, played through the same
understanding and request builder as `make chat`, and checked turn by turn."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.alexa.builder import invoke_event
from skill.chat.dialogs import DialogError, load_dialog, run_dialog
from skill.chat.session import ChatSession
from skill.chat.simulator import load_model

DIALOGS = sorted((Path(__file__).parent / "dialogs").glob("*.yaml"))


@pytest.fixture(scope="module")
def played(skill):
    """Each dialog's problems and the intents its requests carried."""
    results = {}
    for path in DIALOGS:
        session = ChatSession(lambda envelope: invoke_event(skill, envelope))
        problems = run_dialog(load_dialog(path), session)
        intents = {
            request["request"]["intent"]["name"]
            for request, _ in session.conversation.turns
            if request["request"]["type"] == "IntentRequest"
        }
        results[path.stem] = (problems, intents)
    return results


@pytest.mark.parametrize("path", DIALOGS, ids=[p.stem for p in DIALOGS])
def test_dialog_goes_as_scripted(played, path):
    problems, _ = played[path.stem]
    assert problems == []


def test_the_dialogs_say_every_intent_of_the_model(played):
    said = set().union(*(intents for _, intents in played.values()))
    declared = {intent["name"] for intent in load_model()["intents"]}
    assert declared - said == set()


def test_a_reply_that_differs_from_the_script_is_reported(skill, tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text(
        "turns:\n"
        "  - say: open ankle coach\n"
        "    session_open: false\n"
        "  - say: why do my ankles pop\n"
        "    intent: TipIntent\n"
        "    contains: [bananas]\n"
        "    not_contains: gas bubble\n",
        encoding="utf-8",
    )
    session = ChatSession(lambda envelope: invoke_event(skill, envelope))
    problems = "\n".join(run_dialog(load_dialog(path), session))
    assert "turn 1 ('open ankle coach'): session stays open, expected otherwise" in problems
    assert "understood as WhyAnklesPopIntent, expected TipIntent" in problems
    assert "reply lacks 'bananas'" in problems
    assert "reply has 'gas bubble'" in problems


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("turns: []\n", "expected a list of turns"),
        ("- hello\n", "turn 1: each turn needs 'say"),
        ("- say: hi\n  contain: x\n", "unknown keys ['contain']"),
        ("- say: hi\n  contains: {a: 1}\n", "expected text or a list of texts"),
        ("- say: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_malformed_dialog_file_is_named_with_the_mistake(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DialogError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_dialog(path)
