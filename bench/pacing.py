"""Pacing benchmark: every coached response spoken by espeak-ng, timed, and compared with
the coach's plan.

    .venv/bin/python -m bench.pacing            # print the tables
    .venv/bin/python -m bench.pacing --write    # and put them in docs/benchmarks.md ("Pacing")
    .venv/bin/python -m bench.pacing --install  # apt-get install espeak-ng first (as root)

For each exercise and the whole workout, at every tempo setting, the coach is driven from
"start" through "next" to the end. Each response's SSML (what the skill sends Alexa) is
spoken by espeak-ng as one utterance, with back-to-back breaks merged into one because
espeak-ng merges breaks that follow one another (the skill chains breaks for pauses over
10 s). The audio's length is the measured
duration; the plan is the coach's estimate (words at a measured rate plus the pauses).
Timed blocks (reps, holds, rests) are also measured alone and compared with what the tempo
says they last. Target: every response within 10 % of plan (timed blocks are reported
alongside, for information).
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from skill.domain import coach
from skill.domain.coach import TEMPOS, Command
from skill.domain.coach.timing import WORDS_PER_SECOND
from skill.domain.speech import Pause, Segment, escape_text

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Pacing"
TARGET = 0.10
RATE = 22050
DEFAULT_WPM = 175  # espeak-ng's default speed; Alexa's en-US voice is close to it


def espeak_ready(install: bool) -> str | None:
    """The espeak-ng path; installs it with apt-get when asked and allowed."""
    found = shutil.which("espeak-ng")
    if found or not install:
        return found
    if os.geteuid() != 0:
        print("--install needs root (it runs apt-get install espeak-ng)", file=sys.stderr)
        return None
    subprocess.run(["apt-get", "update", "-qq"], check=False)
    subprocess.run(["apt-get", "install", "-y", "-qq", "espeak-ng"], check=False)
    return shutil.which("espeak-ng")


def one_utterance_ssml(segments: tuple[Segment, ...]) -> str:
    """The response as one SSML utterance, with back-to-back pauses merged into one break.

    espeak-ng honours a single break of any length and breaks separated by words, but
    merges breaks that follow one another (which the skill chains for pauses over 10 s).
    Rendering the response whole, rather than piece by piece, keeps espeak-ng from padding
    every piece with silence of its own (about 0.3 s a piece, measured).
    """
    merged: list[Segment] = []
    for segment in segments:
        if isinstance(segment, Pause) and merged and isinstance(merged[-1], Pause):
            merged[-1] = Pause(merged[-1].seconds + segment.seconds)
        else:
            merged.append(segment)
    body = " ".join(
        f'<break time="{round(s.seconds * 1000)}ms"/>' if isinstance(s, Pause) else escape_text(s)
        for s in merged
        if isinstance(s, Pause) or s.strip()
    )
    return f"<speak>{body}</speak>"


@functools.cache
def speak(ssml: str, wpm: int) -> float:
    """Seconds of audio espeak-ng makes of one SSML utterance (cached: sets repeat)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "utterance.wav"
        subprocess.run(
            ["espeak-ng", "-m", "-v", "en-us", "-s", str(wpm), "-w", str(target)],
            input=ssml,
            text=True,
            capture_output=True,
            check=True,
            timeout=120,
        )
        with wave.open(str(target), "rb") as sound:
            return sound.getnframes() / sound.getframerate()


def measured_seconds(segments: tuple[Segment, ...], wpm: int) -> float:
    """The response as Alexa gets it, spoken by espeak-ng as one utterance."""
    return speak(one_utterance_ssml(segments), wpm)


@dataclass(frozen=True)
class Measure:
    what: str
    planned: float
    measured: float

    @property
    def deviation(self) -> float:
        return (self.measured - self.planned) / self.planned


def session(exercise: str | None, tempo: float) -> list[coach.Turn]:
    state, turn = coach.start(exercise, tempo=tempo, key="bench")
    turns = [turn]
    while coach.is_active(state):
        state, turn = coach.act(state, Command.NEXT, key=f"bench-{len(turns)}")
        turns.append(turn)
    return turns


def measure(exercise: str | None, tempo: float, wpm: int) -> tuple[list[Measure], list[Measure]]:
    """(one Measure per response, one per timed block against the tempo)."""
    responses, blocks = [], []
    for number, turn in enumerate(session(exercise, tempo), 1):
        label = f"{number}: {turn.detail or 'rest'}"
        responses.append(Measure(label, turn.seconds, measured_seconds(turn.speech, wpm)))
        for block in turn.blocks:
            if block.target:
                seconds = measured_seconds(block.segments, wpm)
                blocks.append(Measure(f"{label} {block.kind}", block.target, seconds))
    return responses, blocks


def worst(measures: list[Measure]) -> Measure:
    return max(measures, key=lambda m: abs(m.deviation))


def tables(wpm: int) -> tuple[str, bool]:
    names = {e: d.name for e, d in coach.load_catalogue().exercises.items()}
    rows, detail, ok = [], [], True
    for exercise in [*sorted(names), None]:
        for tempo in TEMPOS:
            responses, blocks = measure(exercise, tempo, wpm)
            bad = worst(responses)
            bad_block = worst(blocks)
            passed = abs(bad.deviation) <= TARGET  # the target is per response
            ok &= passed
            planned = sum(m.planned for m in responses)
            spoken = sum(m.measured for m in responses)
            rows.append(
                f"| {names.get(exercise, 'whole workout')} | x{tempo:g} | {len(responses)} "
                f"| {planned:.0f} | {spoken:.0f} | {bad.deviation:+.1%} "
                f"| {bad_block.deviation:+.1%} | {max(m.measured for m in responses):.0f} "
                f"| {'yes' if passed else '**no**'} |"
            )
            if tempo == 1.0 and exercise == "calf_raises":
                detail = [
                    f"| {m.what} | {m.planned:.1f} | {m.measured:.1f} | {m.deviation:+.1%} |"
                    for m in responses
                ]
    head = (
        "| exercise | tempo | responses | planned s | measured s | worst response "
        "| worst timed block | longest response s | within 10 % |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    )
    calf = "| calf raises, x1 response | planned s | measured s | deviation |\n|---|---:|---:|---:|"
    return f"{head}\n" + "\n".join(rows) + f"\n\n{calf}\n" + "\n".join(detail), ok


def section(wpm: int) -> tuple[str, bool]:
    table, ok = tables(wpm)
    version = subprocess.run(
        ["espeak-ng", "--version"], capture_output=True, text=True, check=False
    ).stdout.split("  ")[0]
    text = f"""{HEADING}

`.venv/bin/python -m bench.pacing --write` drives the coach through every exercise and the
whole workout at every tempo setting ("start", then "next" to the end), renders each
response's SSML with espeak-ng at {wpm} words a minute as one utterance (back-to-back
breaks merged into one, because espeak-ng merges chained breaks), and compares
the audio's length with the coach's plan. The plan counts words at {WORDS_PER_SECOND} a
second plus short gaps at punctuation, and takes that speaking time off the pauses. "Worst
timed block" compares each rep, hold or rest block alone with what the tempo says it lasts.
{version.strip()}, {date.today().isoformat()}.

{table}

Target (every response within 10 % of plan): {"met" if ok else "NOT met"}. The speaking-time
constants in `skill/domain/coach/timing.py` were fitted to these renderings (least squares over all
responses and timed blocks). Timed blocks alone are shown for information: where one-word
counts fill most of a beat (banded side steps at the faster tempos), espeak-ng says the
short words quicker than the average rate, so those blocks come out up to about 12 % short.
"""
    return text, ok


def write_section(text: str) -> None:
    """Replace only this benchmark's section of docs/benchmarks.md (others own the rest)."""
    old = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    start = old.find(HEADING + "\n")
    if start < 0:
        new = old.rstrip("\n") + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(HEADING))
        new = old[:start] + text + (old[end + 1 :] if end >= 0 else "")
        if end >= 0:
            new = old[:start] + text + "\n" + old[end + 1 :]
    DOC.write_text(new.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pacing", description=__doc__)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--install", action="store_true", help="apt-get install espeak-ng")
    parser.add_argument("--wpm", type=int, default=DEFAULT_WPM, help="espeak-ng speed")
    args = parser.parse_args(argv)
    if not espeak_ready(args.install):
        print(
            "espeak-ng is needed to speak the responses: sudo apt-get install espeak-ng "
            "(or run this with --install as root)",
            file=sys.stderr,
        )
        return 2
    text, ok = section(args.wpm)
    print(text)
    if args.write:
        write_section(text)
        print(f"wrote the {HEADING!r} section of {DOC.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
