"""SSML back to what a listener hears: pieces of text and pauses.

Shared by the chat (which shows `[pause 10s]`), the audio preview (which speaks each
text piece and writes the silences itself, because espeak-ng merges breaks that follow
one another) and anything that needs to time a reply, such as a pacing benchmark.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass

from skill.domain.speech import Pause

BREAK_STRENGTHS = {
    "none": 0.0,
    "x-weak": 0.0,
    "weak": 0.25,
    "medium": 0.5,
    "strong": 0.75,
    "x-strong": 1.0,
}
"""Alexa documents break strengths only in words; these are rough equivalents in seconds."""

_TIME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$", re.IGNORECASE)


SOUND_LIBRARY = "soundbank://soundlibrary/"


@dataclass(frozen=True)
class Clip:
    """An <audio> clip: shown, not fetched (the preview has no network; it plays a short
    tone for a sound-library clip)."""

    src: str

    @property
    def sound_name(self) -> str | None:
        """The sound library's name for the clip ("amzn_sfx_bell_short_chime_01"), else None."""
        if not self.src.startswith(SOUND_LIBRARY):
            return None
        return self.src.rsplit("/", 1)[-1]


Piece = str | Pause | Clip


def break_seconds(element: ElementTree.Element) -> float:
    """The length of one <break>: its time ("500ms", "2s"), else its strength."""
    time = element.get("time")
    if time:
        found = _TIME.match(time)
        if not found:
            raise ValueError(f"unreadable break time {time!r}")
        value = float(found.group(1))
        return value / 1000 if found.group(2).lower() == "ms" else value
    return BREAK_STRENGTHS.get(element.get("strength", "medium"), 0.5)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _walk(element: ElementTree.Element) -> Iterator[Piece]:
    tag = _local(element.tag)
    if tag == "break":
        yield Pause(break_seconds(element))
    elif tag == "audio":
        yield Clip(element.get("src", ""))
    elif tag == "sub":
        yield element.get("alias", element.text or "")
    else:
        yield element.text or ""
        for child in element:
            yield from _walk(child)
            yield child.tail or ""


def split_ssml(ssml: str) -> list[Piece]:
    """Text pieces and pauses in order; breaks in a row merge into one pause.

    Raises ValueError when the SSML is not well-formed.
    """
    body = ssml.strip()
    if not body.startswith("<speak"):
        body = f"<speak>{body}</speak>"
    # Alexa's amazon:* tags carry a namespace prefix that plain XML parsing rejects.
    body = re.sub(r"<(/?)amazon:", r"<\1amazon-", body)
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise ValueError(f"SSML is not well-formed: {error}") from None
    pieces: list[Piece] = []
    for piece in _walk(root):
        if isinstance(piece, Pause):
            if piece.seconds <= 0:
                continue
            if pieces and isinstance(pieces[-1], Pause):
                pieces[-1] = Pause(round(pieces[-1].seconds + piece.seconds, 3))
            else:
                pieces.append(piece)
        elif isinstance(piece, Clip):
            pieces.append(piece)
        else:
            text = " ".join(piece.split())
            if not text:
                continue
            if pieces and isinstance(pieces[-1], str):
                glue = "" if text[0] in ",.;:!?)" else " "
                pieces[-1] = f"{pieces[-1]}{glue}{text}"
            else:
                pieces.append(text)
    return pieces


def seconds_label(seconds: float) -> str:
    return f"{round(seconds, 2):g}s"


def readable(ssml: str) -> str:
    """One line a person can read: the words, with `[pause 10s]` where silence falls."""
    try:
        pieces = split_ssml(ssml)
    except ValueError:
        return ssml
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, Pause):
            out.append(f"[pause {seconds_label(piece.seconds)}]")
        elif isinstance(piece, Clip):
            out.append(f"[sound: {piece.sound_name}]" if piece.sound_name else "[audio clip]")
        else:
            out.append(piece)
    return " ".join(out)


def total_pause(pieces: list[Piece]) -> float:
    return sum(piece.seconds for piece in pieces if isinstance(piece, Pause))
