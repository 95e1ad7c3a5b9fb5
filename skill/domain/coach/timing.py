"""How long speech takes, and laying words on a timeline so pauses absorb the talking.

A rep that the tempo says lasts six seconds must last six seconds when spoken, words
included. So every call is placed at the moment it should start, and the pause before it
is that moment minus the time the words so far take to say. The speaking time is an
estimate: the counting words' measured lengths (coach.toml `[timing]`), other words at a
measured rate, plus the short silences a voice leaves at full stops. Alexa's speaking
rate varies, so a timed phase also leaves a little room for a slower voice
(`phase_slack`). `bench/pacing` checks all of it against real synthesised speech at
three speaking rates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from skill.domain.content import DEFAULT_LOCALE, read_data
from skill.domain.speech import Pause, Segment, Sound

WORDS_PER_SECOND = 3.3
"""The average speaking rate the model below stands for (about espeak-ng 1.51 at its
default 175 words a minute, close to Alexa's voice); other rates scale it."""
WORD_SECONDS = 0.12
LETTER_SECONDS = 0.05
"""Each word takes WORD_SECONDS plus LETTER_SECONDS a letter, so
"Up." is short and "Scrunch." long, which a flat time per word cannot tell apart; fitted
to when each word of a counted rep starts in espeak-ng's speech (`python -m bench.pacing`
measures it), and about 3.3 words a second over whole sentences."""
SLOW_WORDS_PER_SECOND = 2.8
"""A slow voice (a user's slower speaking-rate setting, or a slower voice): responses are
judged at this rate against the per-response limit, so that they still fit."""
BUDGET_WORDS_PER_SECOND = WORDS_PER_SECOND * 140 / 175
"""The rate a timed phase's words are budgeted at: a voice 20 % slower than the model's
(espeak-ng at 140 words a minute against 175), so that a slower voice fills a phase
instead of running into the next one. See `phase_slack`."""
MOST_SHORT = 0.09
"""The most a phase may end early with a voice at the usual rate, as a share of its
length (the price of budgeting for a slower one), less VOICE_JITTER: see `phase_slack`."""
LEAST_SHORT = 0.01
"""Even a short phase gives a slower voice this share of its length."""
VOICE_JITTER = 0.07
"""Seconds the same short word varies by with its place in a long utterance (measured
with espeak-ng: "In." before "Rep 3." or before a cue). A phase keeps this much of its
tolerance for it, so a short phase (0.8 s) leaves almost no slack and a long one
(2 to 4.5 s) budgets its words nearly in full for a slower voice."""
SENTENCE_GAP = 0.08
"""The extra silence a voice leaves after a full stop, question or exclamation mark; a
break that follows at once takes its place (measured: "Up." then a 0.6 s break is 0.6 s
of silence, not 0.68), so it is not counted there."""
COMMA_GAP = 0.0
"""Measured: no extra silence at commas beyond the words' own time."""
SMALLEST_PAUSE = 0.05
"""Shorter gaps are left out: the voice's own spacing covers them."""

_WORD = re.compile(r"[A-Za-z0-9']+")


NUMBER_LETTERS = 4
"""A number up to sixty is said as a short word: it counts as this many letters
(measured: "Rep 2." to "Rep 9." take 0.48 to 0.70 s, with no pattern a spelling shows)."""


SPEAKING_CACHE = 4096
"""Distinct texts whose speaking time is kept: the coach's own phrases (calls, counts,
labels, rest lines, cues) number a few hundred per locale, so this bound is never reached
by them; request data never reaches here as a key."""


@cache
def measured_words() -> dict[str, float]:
    """Seconds each counting word takes at the model's rate (coach.toml `[timing]`): the
    calls and counts that stand alone inside a timed phase, where the per-letter estimate
    is too rough ("Hold" and "Five" are long vowels, "Curl" is quick). The voice is
    English in every shipped locale, so the en-US table serves them all."""
    return {
        str(w).lower(): float(v)
        for w, v in read_data(DEFAULT_LOCALE, "coach.toml")["timing"].items()
    }


def _word_seconds(word: str, known: dict[str, float]) -> float:
    if word.lower() in known:
        return known[word.lower()]
    letters = NUMBER_LETTERS if word.isdigit() else len(word)
    return WORD_SECONDS + letters * LETTER_SECONDS


@lru_cache(maxsize=SPEAKING_CACHE)
def speaking_seconds(text: str, rate: float = WORDS_PER_SECOND) -> float:
    """Estimated time to say `text` aloud, at `rate` words a second on average (memoised
    per text: a coached response asks for the same few calls and counts over and over)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    known = measured_words() if len(words) <= 2 else {}
    said = sum(_word_seconds(word, known) for word in words)
    stops = len(re.findall(r"[.?!]+(?:\s|$)", text.strip() + " "))
    commas = text.count(",") + text.count(":") + text.count(";")
    return said * WORDS_PER_SECOND / rate + stops * SENTENCE_GAP + commas * COMMA_GAP


def phase_slack(texts: Iterable[str], length: float) -> float:
    """Seconds a timed phase leaves for a slower voice: its words said at the budget rate
    less at the usual rate, but never more than MOST_SHORT of the phase less VOICE_JITTER
    (at least LEAST_SHORT of it).
    The phase's last pause is that much shorter, so a voice 20 % slower ends it about on
    time (late by what the cap holds back: on short phases, nearly all of its extra) and
    the usual voice ends it early by the slack, within its 10 % with room for jitter."""
    words = [text for text in texts if _WORD.search(text)]
    slower = sum(speaking_seconds(t, BUDGET_WORDS_PER_SECOND) for t in words)
    usual = sum(speaking_seconds(t) for t in words)
    room = max(LEAST_SHORT * length, MOST_SHORT * length - VOICE_JITTER)
    return round(max(0.0, min(slower - usual, room)), 2)


def duration(segments: Iterable[Segment], rate: float = WORDS_PER_SECOND) -> float:
    """Planned length of speech: words at the estimated rate, pauses and sounds as written."""
    items = tuple(segments)
    return _duration(items, rate)


@lru_cache(maxsize=SPEAKING_CACHE)
def _duration(items: tuple[Segment, ...], rate: float) -> float:
    """`duration` of one block's segments, memoised: the blocks are built from the coach's
    own phrases and the tempo's pauses, so the same few recur in every response."""
    total = 0.0
    for index, segment in enumerate(items):
        if isinstance(segment, (Pause, Sound)):
            total += segment.seconds
        else:
            following = items[index + 1] if index + 1 < len(items) else None
            total += speaking_seconds(segment, rate) - _gap_taken(segment, following)
    return total


def _gap_taken(text: str, following: Segment | None) -> float:
    """The sentence gap a break right after `text` absorbs (0 when none follows)."""
    if isinstance(following, Pause) and _WORD.search(text) and text.rstrip()[-1:] in ".?!":
        return SENTENCE_GAP
    return 0.0


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
        if self.segments and isinstance(self.segments[-1], str):
            gap = round(gap + _gap_taken(self.segments[-1], Pause(gap)), 2)
        if gap >= SMALLEST_PAUSE:
            if self.segments and isinstance(self.segments[-1], str):
                self.elapsed -= _gap_taken(self.segments[-1], Pause(gap))
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
