"""Conversations as data: a dialog file lists what the user says and what must come back.

A dialog is a YAML file (tests/dialogs/*.yaml):

    description: why ankles pop, then yes to the offer
    turns:
      - say: open ankle coach
        contains: Ankle Coach            # text or list, case-insensitive, all must appear
        session_open: true
      - say: why do my ankles pop
        intent: WhyAnklesPopIntent       # what the words must be understood as
        slots: {}                        # slot -> entity-resolution id (null: unmatched/empty)
        match: exact                     # exact, close or fallback
        contains: [gas bubble, "[pause 10s]"]
        contains_any: [Goodbye, see you] # at least one must appear
        not_contains: trouble
        reprompt_contains: checked
        session_open: true
      - say: wait
        after: 20                        # said 20 s after the last request (Alexa's
                                         # timestamps), cutting a coached reply short

The speech is checked as the chat shows it (pauses as `[pause 10s]`). Every reply is
also run through the Alexa limits checker. The same runner serves pytest and the tools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.chat.alexa_rules import response_problems
from skill.chat.session import ChatSession, Turn
from skill.chat.ssml import readable

TURN_KEYS = {
    "say",
    "intent",
    "slots",
    "match",
    "contains",
    "contains_any",
    "not_contains",
    "reprompt_contains",
    "session_open",
    "after",
}


class DialogError(ValueError):
    """A dialog file that cannot be read; the message names the file and the turn."""


@dataclass(frozen=True)
class Dialog:
    path: Path
    description: str
    turns: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.stem


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise DialogError(f"{where}: expected text or a list of texts, got {value!r}")


def load_dialog(path: str | Path) -> Dialog:
    try:
        import yaml
    except ImportError:
        raise DialogError(
            "reading dialog files needs PyYAML: pip install pyyaml (it is in the dev extra)"
        ) from None
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DialogError(f"{path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise DialogError(f"{path}: not valid YAML: {error}") from None
    if isinstance(data, list):
        data = {"turns": data}
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list) or not data["turns"]:
        raise DialogError(f"{path}: expected a list of turns (or a mapping with 'turns')")
    for number, turn in enumerate(data["turns"], 1):
        where = f"{path} turn {number}"
        if isinstance(turn, dict) and isinstance(turn.get("say"), bool):
            raise DialogError(
                f"{where}: YAML reads an unquoted yes/no/on/off as true or false; "
                'quote the words, e.g. say: "yes"'
            )
        if not isinstance(turn, dict) or not isinstance(turn.get("say"), str):
            raise DialogError(f"{where}: each turn needs 'say: what the user says'")
        unknown = set(turn) - TURN_KEYS
        if unknown:
            raise DialogError(
                f"{where}: unknown keys {sorted(unknown)}; known: {sorted(TURN_KEYS)}"
            )
        for key in ("contains", "contains_any", "not_contains", "reprompt_contains"):
            if key in turn:
                turn[key] = _strings(turn[key], f"{where} {key}")
    return Dialog(path, str(data.get("description", "")), data["turns"])


def _ssml(response: dict, *keys: str) -> str:
    node = response.get("response") or {}
    for key in keys:
        node = node.get(key) or {}
    return node.get("ssml") or node.get("text") or ""


def check_turn(expect: dict[str, Any], turn: Turn) -> list[str]:
    """What in this turn differs from the expectations (empty when all is as expected)."""
    problems: list[str] = []
    understood = turn.understanding
    if "intent" in expect:
        got = understood.intent if understood else turn.kind
        if got != expect["intent"]:
            problems.append(f"understood as {got}, expected {expect['intent']}")
    if "match" in expect and (understood is None or understood.match != expect["match"]):
        problems.append(f"match {understood and understood.match}, expected {expect['match']}")
    if "slots" in expect:
        got_slots = understood.slot_ids() if understood else {}
        wanted = {name: expect["slots"].get(name) for name in got_slots}
        if got_slots != wanted or not set(expect["slots"]) <= set(got_slots):
            problems.append(f"slots {got_slots}, expected {expect['slots']}")
    response = turn.response or {}
    speech = readable(_ssml(response, "outputSpeech"))
    reprompt = readable(_ssml(response, "reprompt", "outputSpeech"))
    lower = speech.lower()
    problems += [f"reply lacks {t!r}" for t in expect.get("contains", []) if t.lower() not in lower]
    options = expect.get("contains_any", [])
    if options and not any(option.lower() in lower for option in options):
        problems.append(f"reply has none of {options!r}")
    problems += [f"reply has {t!r}" for t in expect.get("not_contains", []) if t.lower() in lower]
    problems += [
        f"reprompt lacks {t!r}"
        for t in expect.get("reprompt_contains", [])
        if t.lower() not in reprompt.lower()
    ]
    if "session_open" in expect:
        is_open = (response.get("response") or {}).get("shouldEndSession") is False
        if is_open != expect["session_open"]:
            problems.append(f"session {'stays open' if is_open else 'ends'}, expected otherwise")
    if turn.response is not None:
        problems += [f"breaks an Alexa rule: {p}" for p in response_problems(turn.response)]
    if problems:
        problems.append(f"the reply was: {speech or '(nothing)'}")
    return problems


def run_dialog(dialog: Dialog, session: ChatSession) -> list[str]:
    """Play the dialog; each problem names its turn. An empty list means it passed."""
    problems: list[str] = []
    for number, expect in enumerate(dialog.turns, 1):
        if "after" in expect:
            session.conversation.interrupt(float(expect["after"]))
        turn = session.say(expect["say"])
        problems += [
            f"{dialog.name} turn {number} ({expect['say']!r}): {problem}"
            for problem in check_turn(expect, turn)
        ]
    return problems
