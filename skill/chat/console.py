"""`make chat`: talk to the skill by typing, and see what Alexa would hear and say.

Each line is what the user would say. It becomes the request Alexa would send, goes
through the skill, and the reply is printed readably: the words with `[pause 10s]` where
silence falls, the reprompt, and whether the session stays open. Lines starting with
`/` are commands for the tool itself (`/help` lists them).
"""

from __future__ import annotations

import contextlib
import json
import shlex
import sys
import textwrap
from collections.abc import Iterable, Iterator
from typing import TextIO

from skill.chat.nlu import FALLBACK
from skill.chat.session import ChatSession, SendError, Turn
from skill.chat.simulator import Heard, Unmatched, slot_values
from skill.chat.ssml import readable

HELP = """\
Type what you would say to Alexa, for example:
  open ankle coach                       (starts a session)
  why do my ankles pop
  how do I do calf raises
  ask ankle coach to give me a tip       (a one-shot, in a new session)
  stop
Commands:
  /help                  this text
  /launch                send a LaunchRequest (same as "open ankle coach")
  /end [REASON]          send a SessionEndedRequest (USER_INITIATED, EXCEEDED_MAX_REPROMPTS, ERROR)
  /intent NAME [slot=id] send an intent exactly, skipping the understanding
  /samples [INTENT]      list the intents, or the sample utterances of one
  /session               show the session id and attributes
  /json                  show or hide the raw request and response JSON
  /after SECONDS         send the next line that many seconds after the last request,
                         cutting a coached reply short (otherwise you hear it to the end)
  /quit                  leave (end of input does too)"""

END_REASONS = ("USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR")


class UsageError(Exception):
    """A command typed wrongly; the message tells the user what to type instead."""


def _speech(response: dict, *keys: str) -> str:
    node = response.get("response") or {}
    for key in keys:
        node = node.get(key) or {}
    return node.get("ssml") or node.get("text") or ""


def heard_line(turn: Turn) -> str:
    """How the words were understood, so a surprising reply can be traced to the match."""
    if turn.kind == "launch":
        return "-> LaunchRequest (new session)"
    if turn.kind == "end":
        return "-> SessionEndedRequest"
    understood = turn.understanding
    assert understood is not None
    slots = []
    for name, value in understood.slots.items():
        if isinstance(value, Heard):
            slots.append(f"{name}={value.value_id} (heard {value.spoken!r})")
        elif isinstance(value, Unmatched):
            slots.append(f"{name}=no match (heard {value.spoken!r})")
    text = f"-> {understood.intent}"
    if slots:
        text += " " + ", ".join(slots)
    if understood.match == "close":
        text += f"  [close match to {understood.sample!r}, {understood.score:.2f}]"
    elif understood.intent == FALLBACK:
        text += "  [no sample matches]"
    if turn.one_shot:
        text += "  (one-shot, new session)"
    elif turn.new_session:
        text += "  (new session)"
    return text


def reply_lines(response: dict) -> list[str]:
    """The reply as a person would take it in: speech, reprompt, card, session state."""
    body = response.get("response") or {}
    speech = _speech(response, "outputSpeech")
    lines = [f"Alexa: {readable(speech)}" if speech else "Alexa: (says nothing)"]
    reprompt = _speech(response, "reprompt", "outputSpeech")
    if reprompt:
        lines.append(f"  reprompt: {readable(reprompt)}")
    card = body.get("card") or {}
    if card.get("title"):
        lines.append(f"  card: {card['title']}")
    open_ = body.get("shouldEndSession") is False
    lines.append("  (session stays open)" if open_ else "  (session ends)")
    return lines


def typed_lines(stdin: TextIO, out: TextIO, prompt: str = "you> ") -> Iterator[str]:
    """Lines from a person at a terminal, or from a pipe (echoed so the transcript reads)."""
    if stdin.isatty():
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
        while True:
            try:
                yield input(prompt)
            except EOFError:
                out.write("\n")
                return
    else:
        for line in stdin:
            line = line.rstrip("\r\n")
            out.write(f"{prompt}{line}\n")
            yield line


class Console:
    """Reads typed lines, sends them, prints replies; never stops on a typing mistake."""

    def __init__(
        self, session: ChatSession, out: TextIO, *, show_json: bool = False, width: int = 0
    ) -> None:
        self.session = session
        self.out = out
        self.show_json = show_json
        self.width = width
        self.failures = 0

    def print(self, text: str = "") -> None:
        if self.width and len(text) > self.width:
            indent = " " * (len(text) - len(text.lstrip()))
            if text.startswith("Alexa: "):
                indent = " " * len("Alexa: ")
            text = textwrap.fill(text, self.width, subsequent_indent=indent)
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, turn: Turn) -> None:
        self.print(f"  {heard_line(turn)}")
        if self.show_json and turn.request is not None:
            self.print("  request: " + json.dumps(turn.request, indent=2))
            self.print("  response: " + json.dumps(turn.response, indent=2))
        if turn.response is None:
            self.print("  (no session is open, so nothing is sent)")
            return
        for line in reply_lines(turn.response):
            self.print(line)

    def attempt(self, action) -> Turn | None:
        try:
            turn = action()
        except SendError as error:
            self.failures += 1
            self.print(f"! could not send: {error}")
            return None
        except Exception as error:  # a fault in the skill must not end the conversation
            self.failures += 1
            self.print(f"! the skill failed: {type(error).__name__}: {error}")
            return None
        self.show(turn)
        return turn

    def command(self, line: str) -> bool:
        """Run a /command; False means leave."""
        try:
            words = shlex.split(line[1:])
        except ValueError as error:
            raise UsageError(f"could not read that command: {error}") from None
        name, args = (words[0].lower(), words[1:]) if words else ("", [])
        if name in ("quit", "exit", "q"):
            return False
        if name in ("help", "h", "?"):
            self.print(HELP)
        elif name == "launch":
            self.attempt(self.session.launch)
        elif name == "end":
            self.end(args)
        elif name == "intent":
            self.exact_intent(args)
        elif name == "samples":
            self.samples(args)
        elif name == "session":
            self.describe_session()
        elif name == "after":
            self.after(args)
        elif name == "json":
            self.show_json = not self.show_json
            self.print(f"  raw JSON {'on' if self.show_json else 'off'}")
        else:
            raise UsageError(f"unknown command /{name}; type /help for the list")
        return True

    def end(self, args: list[str]) -> None:
        reason = (args[0] if args else "USER_INITIATED").upper()
        if reason not in END_REASONS:
            raise UsageError(f"the reason is one of {', '.join(END_REASONS)}")
        if not self.session.in_session:
            raise UsageError("no session is open")
        self.attempt(lambda: self.session.end(reason, said=f"/end {reason}"))

    def after(self, args: list[str]) -> None:
        try:
            seconds = float(args[0]) if len(args) == 1 else -1.0
        except ValueError:
            seconds = -1.0
        if not 0 <= seconds <= 3600:
            raise UsageError("usage: /after SECONDS (0 to 3600), then what you say")
        self.session.conversation.interrupt(seconds)
        self.print(f"  the next request comes {seconds:g} s after the last one")

    def exact_intent(self, args: list[str]) -> None:
        from skill.chat.nlu import Understanding

        if not args:
            raise UsageError("usage: /intent NAME [slot=id ...]")
        name, nlu = args[0], self.session.nlu
        if name not in nlu.intents:
            raise UsageError(f"no intent {name!r} in the model; /samples lists them")
        slots: dict = {slot["name"]: None for slot in nlu.intents[name]}
        for arg in args[1:]:
            slot, sep, value = arg.partition("=")
            if not sep or slot not in slots:
                declared = ", ".join(slots) or "none"
                raise UsageError(f"{arg!r}: write slot=id; {name} has slots: {declared}")
            known = {
                v["id"]: v["name"]["value"]
                for v in slot_values(nlu.slot_types[slot], self.session.locale)
            }
            slots[slot] = Heard(value, known[value]) if value in known else Unmatched(value)
        understood = Understanding(name, slots, "exact", "", 1.0)
        self.attempt(lambda: self.session.intent(understood, said=" ".join(args)))

    def samples(self, args: list[str]) -> None:
        nlu = self.session.nlu
        if not args:
            self.print("  intents: " + ", ".join(nlu.intents))
            return
        if args[0] not in nlu.intents:
            raise UsageError(f"no intent {args[0]!r} in the model; /samples lists them")
        found = nlu.sample_utterances(args[0])
        for text in found or ["(no samples: Alexa's built-in phrasings)"]:
            self.print(f"  {text}")

    def describe_session(self) -> None:
        conversation = self.session.conversation
        if not conversation.in_session:
            self.print("  no session open: the next words start one")
            return
        self.print(f"  session {conversation.session_id}")
        self.print("  attributes: " + json.dumps(conversation.attributes, sort_keys=True))

    def line(self, line: str) -> bool:
        """Handle one typed line; False means leave."""
        text = line.strip()
        if not text:
            return True
        if text.startswith("/"):
            try:
                return self.command(text)
            except UsageError as error:
                self.print(f"! {error}")
                return True
        self.attempt(lambda: self.session.say(text))
        return True

    def run(self, lines: Iterable[str], *, launch: bool = True) -> int:
        """The whole conversation; the exit status is 1 if the first request failed."""
        if launch and self.attempt(self.session.launch) is None:
            return 1
        try:
            for line in lines:
                if not self.line(line):
                    break
            else:
                self.print("(end of input)")
        except KeyboardInterrupt:
            self.print("\n(interrupted)")
        if self.session.in_session:
            self.print("  closing the open session, as Alexa does when the user walks away")
            self.attempt(lambda: self.session.end("USER_INITIATED", said="(left)"))
        return 0


def main(
    session: ChatSession,
    *,
    show_json: bool = False,
    launch: bool = True,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    stdin = stdin or sys.stdin
    out = out or sys.stdout
    interactive = stdin.isatty()
    console = Console(session, out, show_json=show_json, width=100 if interactive else 0)
    if interactive:
        console.print("Ankle Coach, typed. Say what you would say to Alexa; /help for more.")
    return console.run(typed_lines(stdin, out), launch=launch)
