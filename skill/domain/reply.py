"""What the skill decided to say, before it becomes an Alexa response."""

from __future__ import annotations

from dataclasses import dataclass

from skill.domain.speech import Segment


@dataclass(frozen=True)
class Reply:
    """A turn's answer: speech, an optional reprompt, and whether the session goes on.

    A reply with a reprompt keeps the session open; one without ends it. That rule
    lives here so no handler can ask a question and then hang up.
    """

    speech: tuple[Segment, ...]
    reprompt: tuple[Segment, ...] = ()
    card_title: str | None = None
    card_text: str | None = None
    screen_footer: str | None = None
    offer: str | None = None
    choices: tuple[str, ...] = ()
    """Topics an answer listed, so "the second one" can follow; kept until another list."""
    speech_ssml: str | None = None
    """The speech already as SSML (the coach's, built from its shared blocks), else None."""

    @property
    def end_session(self) -> bool:
        return not self.reprompt
