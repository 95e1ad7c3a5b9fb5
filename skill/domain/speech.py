"""Turn what the skill wants to say into Alexa SSML.

Domain code speaks in segments: plain text and pauses. Only this module knows SSML,
so escaping and Alexa's 10-second break limit are handled in one place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_BREAK_SECONDS = 10.0


@dataclass(frozen=True)
class Pause:
    """Silence of a given length; longer than 10 s becomes a chain of breaks."""

    seconds: float


@dataclass(frozen=True)
class Sound:
    """A short clip from the Alexa Skills Kit Sound Library, and how long it plays.

    The length is part of the plan (a rest that starts with a chime still lasts what it
    says), so it comes with the name from the data file rather than being guessed.
    """

    src: str
    seconds: float


Segment = str | Pause | Sound


def escape_text(text: str) -> str:
    """Escape the five XML specials so any text is safe inside <speak>."""
    # str.replace rather than xml.sax.saxutils.escape: importing xml.sax.saxutils pulls in
    # urllib.request, http.client, email and ssl, about 25 ms of every cold start.
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )


def _breaks(seconds: float) -> list[str]:
    parts: list[str] = []
    remaining = round(seconds, 2)
    while remaining > 0.004:
        chunk = min(remaining, MAX_BREAK_SECONDS)
        millis = round(chunk * 1000)
        parts.append(f'<break time="{millis}ms"/>')
        remaining = round(remaining - chunk, 2)
    return parts


def ssml_parts(segments: Iterable[Segment]) -> list[str]:
    """The SSML pieces of some segments; `to_ssml_body` joins them with spaces, so pieces
    computed once per block and joined give the same text as the whole speech."""
    out: list[str] = []
    for segment in segments:
        if isinstance(segment, Pause):
            out.extend(_breaks(segment.seconds))
        elif isinstance(segment, Sound):
            out.append(f'<audio src="{escape_text(segment.src)}"/>')
        elif segment:
            out.append(escape_text(segment.strip()))
    return out


def to_ssml_body(segments: Iterable[Segment]) -> str:
    """SSML without the <speak> wrapper (the ASK SDK's response builder adds it)."""
    return " ".join(ssml_parts(segments))


def to_ssml(segments: Iterable[Segment]) -> str:
    return f"<speak>{to_ssml_body(segments)}</speak>"


def plain_text(segments: Iterable[Segment]) -> str:
    """What a card or a transcript shows: the words without the pauses."""
    return " ".join(s.strip() for s in segments if isinstance(s, str) and s.strip())


def pick(variants: Sequence[str] | str, key: str) -> str:
    """Choose a wording variant, stable for a given key.

    A hash rather than random() so that the same request always gets the same answer
    (tests and the two entry points compare replies), while different turns vary.
    """
    if isinstance(variants, str):
        return variants
    if not variants:
        return ""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return variants[int.from_bytes(digest[:4], "big") % len(variants)]
