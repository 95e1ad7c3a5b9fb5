"""Speak SSML into a WAV file with espeak-ng, so a reply can be heard without a device.

espeak-ng honours one <break>, but merges breaks that follow one another (2 s + 2 s
comes out as 2 s), and the skill chains breaks for pauses over 10 s. So each text piece
is spoken on its own and the silences are written here, to the exact length.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from skill.chat.ssml import Clip, Piece
from skill.domain.coach import sound_lengths
from skill.domain.speech import Pause

INSTALL_HINT = "sudo apt-get install espeak-ng  (Debian/Ubuntu; on macOS: brew install espeak-ng)"
VOICES = {"en-US": "en-us", "en-GB": "en-gb", "en-AU": "en", "en-CA": "en-us", "en-IN": "en"}
TONE_HZ = 880
TONE_SECONDS = 0.5
"""A sound-library clip the coach does not list plays as a tone this long."""
GAP_SECONDS = 1.0
"""Silence between two replies in a preview, so they do not run into each other."""


class EspeakMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__(f"espeak-ng is not installed; install it with: {INSTALL_HINT}")


def espeak_path() -> str | None:
    return shutil.which("espeak-ng")


def voice_for(locale: str) -> str:
    return VOICES.get(locale, "en")


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit samples at one rate: enough to join pieces and measure them."""

    rate: int
    frames: bytes

    @property
    def seconds(self) -> float:
        return len(self.frames) / 2 / self.rate

    def __add__(self, other: Audio) -> Audio:
        if other.rate != self.rate:
            raise ValueError("cannot join audio of different sample rates")
        return Audio(self.rate, self.frames + other.frames)


def silence(seconds: float, rate: int) -> Audio:
    return Audio(rate, b"\x00\x00" * round(seconds * rate))


def tone(seconds: float, rate: int) -> Audio:
    """A soft sine tone, faded in and out: stands in for a sound-library clip."""
    count = round(seconds * rate)
    fade = max(1, min(count // 4, rate // 50))
    samples = bytearray()
    for index in range(count):
        envelope = min(1.0, index / fade, (count - 1 - index) / fade)
        value = round(6000 * envelope * math.sin(2 * math.pi * TONE_HZ * index / rate))
        samples += value.to_bytes(2, "little", signed=True)
    return Audio(rate, bytes(samples))


def speak_text(text: str, voice: str = "en-us") -> Audio:
    """One piece of plain text through espeak-ng (text on stdin: never read as options)."""
    program = espeak_path()
    if program is None:
        raise EspeakMissing()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "piece.wav"
        result = subprocess.run(
            [program, "-v", voice, "-w", str(target)],
            input=text,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0 or not target.exists():
            raise RuntimeError(f"espeak-ng failed: {result.stderr.strip() or result.returncode}")
        with wave.open(str(target), "rb") as sound:
            if sound.getsampwidth() != 2 or sound.getnchannels() != 1:
                raise RuntimeError("espeak-ng gave audio that is not 16-bit mono")
            return Audio(sound.getframerate(), sound.readframes(sound.getnframes()))


def render_pieces(pieces: Sequence[Piece], voice: str = "en-us", rate: int = 22050) -> Audio:
    """Speak the text pieces and write each pause as exact silence."""
    audio = Audio(rate, b"")
    for piece in pieces:
        if isinstance(piece, Pause):
            audio += silence(piece.seconds, audio.rate)
        elif isinstance(piece, Clip):
            if piece.sound_name:  # the sound library's clips play as a tone of their length
                audio += tone(sound_lengths().get(piece.src, TONE_SECONDS), audio.rate)
            # other clips live on a server; the preview stays offline
        else:
            spoken = speak_text(piece, voice)
            if spoken.rate != audio.rate and not audio.frames.strip(b"\x00"):
                audio = silence(audio.seconds, spoken.rate)  # only silence so far: re-rate it
            audio += spoken
    return audio


def write_wav(path: str | Path, audio: Audio) -> None:
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(audio.rate)
        sound.writeframes(audio.frames)


def join_replies(replies: Sequence[Audio], gap: float = GAP_SECONDS) -> Audio:
    """The replies one after another, with a short silence between them."""
    if not replies:
        return Audio(22050, b"")
    joined = replies[0]
    for reply in replies[1:]:
        joined = joined + silence(gap, joined.rate) + reply
    return joined
