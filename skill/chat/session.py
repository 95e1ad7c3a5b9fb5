"""A typed conversation: words in, the Alexa request out, the skill's response back.

The same path serves `make chat`, `python -m skill say` and the dialog tests, so what
the tests check is what a person trying the skill sees.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from skill.chat.nlu import SESSION_END, Understanding, nlu_for, split_invocation
from skill.chat.simulator import Conversation, Envelope, Send, load_model


class SendError(Exception):
    """The request could not be delivered or answered; the message says why, for people."""


def in_process_sender() -> Send:
    """The skill object itself, through the same SDK dispatch as the web and Lambda paths."""
    from skill.alexa.builder import build_skill, invoke_event

    skill = build_skill()

    def send(envelope: Envelope) -> Envelope:
        return invoke_event(skill, envelope)

    return send


def http_sender(url: str, timeout: float = 10.0) -> Send:
    """POST each request to a running service (`make run` is in development mode)."""

    def send(envelope: Envelope) -> Envelope:
        body = json.dumps(envelope).encode("utf-8")
        request = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return json.loads(answer.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:300].strip()
            hint = ""
            if error.code in (400, 401, 403):
                hint = (
                    " (a service that verifies requests refuses unsigned ones; `make run` does not)"
                )
            raise SendError(f"{url} answered HTTP {error.code}: {detail}{hint}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            reason = getattr(error, "reason", error)
            raise SendError(
                f"could not reach {url} ({reason}); is the service running (make run)?"
            ) from None
        except json.JSONDecodeError:
            raise SendError(f"{url} did not answer with JSON") from None

    return send


@dataclass(frozen=True)
class Turn:
    """One thing the user said and what came of it."""

    said: str
    kind: str
    """"launch", "intent" or "end" (a SessionEndedRequest)."""
    understanding: Understanding | None
    request: Envelope | None
    response: Envelope | None
    new_session: bool
    one_shot: bool
    """The skill was named with a request ("ask ankle coach ..."): a one-shot."""


class ChatSession:
    """One user talking to the skill by typing; keeps the session like Alexa does."""

    def __init__(self, send: Send, locale: str = "en-US") -> None:
        self.conversation = Conversation(send=send, locale=locale)
        self.locale = locale
        self.nlu = nlu_for(locale)
        self.invocation_name = load_model(locale)["invocationName"]

    @property
    def in_session(self) -> bool:
        return self.conversation.in_session

    def _send(self, said: str, kind: str, request: dict, understanding=None, one_shot=False):
        new = not self.conversation.in_session
        response = self.conversation.send_request(request)
        envelope = self.conversation.turns[-1][0]
        return Turn(said, kind, understanding, envelope, response, new, one_shot)

    def launch(self, said: str = "open ankle coach") -> Turn:
        self.conversation.session_id = None
        return self._send(said, "launch", {"type": "LaunchRequest"})

    def end(self, reason: str = "USER_INITIATED", said: str = "") -> Turn:
        if not self.conversation.in_session:
            return Turn(said, "end", None, None, None, False, False)
        request = {"type": "SessionEndedRequest", "reason": reason}
        return self._send(said, "end", request)

    def intent(self, understanding: Understanding, said: str = "", one_shot: bool = False):
        request = self.conversation.intent_request(understanding.intent, understanding.slots)
        return self._send(said, "intent", request, understanding, one_shot)

    def say(self, text: str) -> Turn:
        """Understand typed words and send the request Alexa would send for them."""
        invoked, words = split_invocation(text, self.invocation_name)
        if invoked and not words:
            return self.launch(text)
        if invoked:
            self.conversation.session_id = None  # naming the skill starts a new session
        understanding = self.nlu.understand(words)
        if understanding.intent == SESSION_END:
            return self.end("USER_INITIATED", said=text)
        return self.intent(understanding, said=text, one_shot=invoked)
