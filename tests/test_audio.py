"""The audio preview: pauses written to the exact length, one WAV, each reply timed.
Rendering needs espeak-ng; the parts that do not are tested everywhere."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from skill.chat import audio, preview
from skill.chat.audio import Audio, join_replies, render_pieces, silence, speak_text
from skill.chat.session import ChatSession
from skill.chat.ssml import split_ssml
from skill.domain.speech import Pause, to_ssml

ROOT = Path(__file__).resolve().parent.parent
needs_espeak = pytest.mark.skipif(
    audio.espeak_path() is None,
    reason="espeak-ng is not installed (sudo apt-get install espeak-ng)",
)


def say(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANKLE_COACH_STORAGE": "none"}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "skill", "say", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_silence_is_exact_and_replies_are_joined_with_a_gap():
    assert silence(2.5, 22050).seconds == 2.5
    joined = join_replies([silence(1, 16000), silence(2, 16000)], gap=0.5)
    assert joined.seconds == 3.5
    with pytest.raises(ValueError, match="sample rates"):
        silence(1, 16000) + silence(1, 22050)


def test_without_espeak_the_tools_say_how_to_install_it(monkeypatch, send):
    monkeypatch.setattr(audio, "espeak_path", lambda: None)
    with pytest.raises(audio.EspeakMissing, match="apt-get install espeak-ng"):
        speak_text("hello")
    err = io.StringIO()
    status = preview.main(
        ChatSession(send), utterances=["what helps"], dialog=None, wav="x.wav", err=err
    )
    assert status == 1
    assert "espeak-ng is not installed" in err.getvalue()


def test_say_without_espeak_on_the_path_fails_clearly(tmp_path):
    result = say("what helps", "--wav", str(tmp_path / "x.wav"), path=str(tmp_path))
    assert result.returncode == 1
    assert "espeak-ng is not installed; install it with: sudo apt-get install espeak-ng" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.wav").exists()


def test_say_needs_something_to_say():
    result = say()
    assert result.returncode == 2 and "give what the user says, or --dialog FILE" in result.stderr


@needs_espeak
def test_chained_breaks_become_one_silence_of_the_full_length():
    words = [speak_text("Hold it."), speak_text("Switch legs.")]
    pieces = split_ssml(to_ssml(["Hold it.", Pause(25), "Switch legs."]))
    rendered = render_pieces(pieces)
    expected = words[0].seconds + 25 + words[1].seconds
    assert rendered.seconds == pytest.approx(expected, abs=0.001)
    start = len(words[0].frames)
    gap = rendered.frames[start : start + 25 * 2 * rendered.rate]
    assert not gap.strip(b"\x00")  # the whole 25 s is silent


@needs_espeak
def test_a_wav_is_written_that_a_player_can_read(tmp_path):
    target = tmp_path / "one.wav"
    reply = render_pieces(["Calf raises.", Pause(1.5), "Rise up."])
    audio.write_wav(target, reply)
    with wave.open(str(target), "rb") as sound:
        assert (sound.getnchannels(), sound.getsampwidth()) == (1, 2)
        assert sound.getnframes() / sound.getframerate() == pytest.approx(reply.seconds)
    assert isinstance(reply, Audio) and reply.seconds > 1.5


@needs_espeak
def test_say_renders_each_reply_and_prints_its_duration(tmp_path):
    target = tmp_path / "preview.wav"
    result = say("open ankle coach", "how do I do calf raises", "stop", "--wav", str(target))
    assert result.returncode == 0, result.stderr
    durations = [
        float(line.split("duration: ")[1].split("s ")[0])
        for line in result.stdout.splitlines()
        if "duration: " in line
    ]
    assert len(durations) == 3 and all(d > 1 for d in durations)
    assert "fingertips on a counter" in result.stdout
    with wave.open(str(target), "rb") as sound:
        total = sound.getnframes() / sound.getframerate()
    assert total == pytest.approx(sum(durations) + 2 * audio.GAP_SECONDS, abs=0.05)
    assert f"wrote {target}: 3 replies" in result.stdout


@needs_espeak
def test_say_takes_the_utterances_of_a_dialog_file(tmp_path):
    target = tmp_path / "dialog.wav"
    dialog = ROOT / "tests" / "dialogs" / "one_shot.yaml"
    result = say("--dialog", str(dialog), "--wav", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("duration: ") == 2 and target.exists()
    assert "you> ask ankle coach why do my ankles pop" in result.stdout


def test_say_reports_a_broken_dialog_file(tmp_path):
    if audio.espeak_path() is None:
        pytest.skip("espeak-ng is not installed: say stops before reading the dialog")
    broken = tmp_path / "broken.yaml"
    broken.write_text("- nope\n", encoding="utf-8")
    result = say("--dialog", str(broken), "--wav", str(tmp_path / "x.wav"))
    assert result.returncode == 2 and "each turn needs 'say" in result.stderr


def test_a_sound_library_clip_plays_as_a_short_tone_of_its_length():
    from skill.chat.ssml import Clip
    from skill.domain.coach import sound_lengths

    src = "soundbank://soundlibrary/musical/amzn_sfx_bell_short_chime_01"
    rendered = render_pieces([Pause(1), Clip(src), Pause(1)])
    assert rendered.seconds == pytest.approx(2 + sound_lengths()[src], abs=0.001)
    start = rendered.rate * 2  # bytes per second of 16-bit mono
    tone = rendered.frames[start : start + round(sound_lengths()[src] * rendered.rate) * 2]
    assert tone.strip(b"\x00"), "the clip is heard, not silent"
    other = render_pieces([Clip("https://example.com/a.mp3")])
    assert other.seconds == 0
