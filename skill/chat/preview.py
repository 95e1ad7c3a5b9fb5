"""`python -m skill say`: hear the skill's replies, rendered to one WAV file.

The utterances (or a dialog file's) go through the same path as `make chat`; each
spoken reply is rendered with espeak-ng, pauses to the exact length, and its duration
printed, so pacing can be judged by ear and by number.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from skill.chat import audio
from skill.chat.console import heard_line, reply_lines
from skill.chat.dialogs import DialogError, load_dialog
from skill.chat.session import ChatSession, SendError
from skill.chat.ssml import seconds_label, split_ssml, total_pause


def _ssml(response: dict) -> str:
    return ((response.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")


def main(
    session: ChatSession,
    *,
    utterances: Sequence[str],
    dialog: str | None,
    wav: str,
    voice: str | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    if audio.espeak_path() is None:
        print(f"say: {audio.EspeakMissing()}", file=err)
        return 1
    lines = list(utterances)
    if dialog:
        try:
            lines += [turn["say"] for turn in load_dialog(dialog).turns]
        except DialogError as error:
            print(f"say: {error}", file=err)
            return 2
    voice = voice or audio.voice_for(session.locale)
    replies: list[audio.Audio] = []
    for line in lines:
        try:
            turn = session.say(line)
        except SendError as error:
            print(f"say: could not send: {error}", file=err)
            return 1
        print(f"you> {line}\n  {heard_line(turn)}", file=out)
        if turn.response is None:
            continue
        for text in reply_lines(turn.response):
            print(text, file=out)
        ssml = _ssml(turn.response)
        if not ssml:
            continue
        pieces = split_ssml(ssml)
        try:
            rendered = audio.render_pieces(pieces, voice)
        except RuntimeError as error:
            print(f"say: {error}", file=err)
            return 1
        pauses = total_pause(pieces)
        print(
            f"  duration: {seconds_label(rendered.seconds)} "
            f"(speech {seconds_label(rendered.seconds - pauses)}, "
            f"pauses {seconds_label(pauses)})",
            file=out,
        )
        replies.append(rendered)
    if not replies:
        print("say: the skill said nothing, so no audio was written", file=err)
        return 1
    joined = audio.join_replies(replies)
    try:
        audio.write_wav(wav, joined)
    except OSError as error:
        print(f"say: cannot write {wav}: {error.strerror}", file=err)
        return 1
    count = f"{len(replies)} repl{'y' if len(replies) == 1 else 'ies'}"
    print(f"wrote {wav}: {count}, {seconds_label(joined.seconds)}", file=out)
    return 0
