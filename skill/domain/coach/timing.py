"""How long speech takes, and laying words on a timeline so pauses absorb the talking.

A rep that the tempo says lasts six seconds must last six seconds when spoken, words
included. So every call is placed at the moment it should start, and the pause before it
is that moment minus the time the words so far take to say. The speaking time is an
estimate: words at a measured rate, plus the short silences a voice leaves at commas and
full stops. `bench/pacing` checks the estimate against real synthesised speech.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from skill.domain.speech import Pause, Segment, Sound

WORDS_PER_SECOND = 3.3
"""Fitted by least squares to espeak-ng 1.51 at its default 175 words a minute, speaking
every coached response whole (speech time = audio length minus the pauses); `python -m
bench.pacing` re-measures it. Alexa's voice speaks at a similar rate."""
SLOW_WORDS_PER_SECOND = 2.8
"""A slow voice (a user's slower speaking-rate setting, or a slower voice): responses are
judged at this rate against the per-response limit, so that they still fit."""
SENTENCE_GAP = 0.08
"""The extra silence a voice leaves after a full stop, question or exclamation mark."""
COMMA_GAP = 0.0
"""Measured: no extra silence at commas beyond the words' own time."""
SMALLEST_PAUSE = 0.05
"""Shorter gaps are left out: the voice's own spacing covers them."""

_WORD = re.compile(r"[A-Za-z0-9']+")


def speaking_seconds(text: str, rate: float = WORDS_PER_SECOND) -> float:
    """Estimated time to say `text` aloud at `rate` words a second."""
    words = len(_WORD.findall(text))
    if not words:
        return 0.0
    stops = len(re.findall(r"[.?!]+(?:\s|$)", text.strip() + " "))
    commas = text.count(",") + text.count(":") + text.count(";")
    return words / rate + stops * SENTENCE_GAP + commas * COMMA_GAP


def duration(segments: Iterable[Segment], rate: float = WORDS_PER_SECOND) -> float:
    """Planned length of speech: words at the estimated rate, pauses and sounds as written."""
    return sum(
        s.seconds if isinstance(s, (Pause, Sound)) else speaking_seconds(s, rate) for s in segments
    )


def judged_duration(segments: Iterable[Segment]) -> float:
    """The length with a slow voice: what the per-response limit is checked against."""
    return duration(segments, SLOW_WORDS_PER_SECOND)


@dataclass
class Timeline:
    """Segments whose words start at given moments, with pauses filling the gaps.

    When words run over their slot the next pause shrinks (never below zero), so a late
    call is caught up by the following gaps and the whole block still ends on time.
    """

    segments: list[Segment] = field(default_factory=list)
    elapsed: float = 0.0

    def wait_until(self, moment: float) -> None:
        gap = round(moment - self.elapsed, 2)
        if gap >= SMALLEST_PAUSE:
            self.segments.append(Pause(gap))
            self.elapsed += gap

    def say_at(self, moment: float, text: str) -> None:
        self.wait_until(moment)
        self.segments.append(text)
        self.elapsed += speaking_seconds(text)

    def play_at(self, moment: float, sound: Sound) -> None:
        self.wait_until(moment)
        self.segments.append(sound)
        self.elapsed += sound.seconds
