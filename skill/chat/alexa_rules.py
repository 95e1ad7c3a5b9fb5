"""Alexa's limits on a response, as a checker.

Tests run every response the skill can give through `response_problems`; an empty
list means Alexa will accept it. The limits are those in ../shared/alexa-rules.md.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from skill.domain.coach import sound_lengths

MAX_SPEECH_CHARS = 8000
MAX_CARD_CHARS = 8000
MAX_RESPONSE_BYTES = 24 * 1024  # the documented limit is larger; stay under the old one
MAX_BREAK_SECONDS = 10.0
MAX_AUDIO_TAGS = 5
MAX_AUDIO_SECONDS = {"speech": 240.0, "reprompt": 90.0}
SOUND_LIBRARY = re.compile(r"soundbank://soundlibrary/[a-z0-9_]+(?:/[a-z0-9_]+)*")
SUPPORTED_TAGS = {
    "speak", "break", "prosody", "emphasis", "say-as", "sub", "phoneme", "p", "s", "w",
    "lang", "voice", "audio", "amazon:effect", "amazon:emotion", "amazon:domain",
}  # fmt: skip
AMAZON_NS = "urn:amazon"
QUESTION_END = re.compile(r"\?\s*$")
INVITATION = re.compile(r"\b(say|tell me|just ask|ask me)\b", re.IGNORECASE)


def _tag(element: ET.Element) -> str:
    return element.tag.replace("{" + AMAZON_NS + "}", "amazon:")


def break_seconds(value: str) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*", value)
    if not match:
        return None
    number = float(match.group(1))
    return number / 1000 if match.group(2) == "ms" else number


def speech_text(ssml: str) -> str:
    """The words of an SSML string, for reading it as a person would hear it."""
    try:
        root = ET.fromstring(ssml.replace("<speak>", f'<speak xmlns:amazon="{AMAZON_NS}">', 1))
    except ET.ParseError:
        return re.sub(r"<[^>]+>", " ", ssml)
    return " ".join("".join(root.itertext()).split())


def _audio_problems(root: ET.Element, part: str) -> list[str]:
    """At most five audio tags and 240 s of audio (90 s in a reprompt); sound-library clips
    by a well-formed name the coach lists (so their length is known), others over https."""
    clips = [element for element in root.iter() if _tag(element) == "audio"]
    problems = []
    if len(clips) > MAX_AUDIO_TAGS:
        problems.append(f"{len(clips)} audio tags, over {MAX_AUDIO_TAGS}")
    lengths = sound_lengths()
    seconds = 0.0
    for clip in clips:
        src = clip.attrib.get("src", "")
        if src.startswith("soundbank:"):
            if not SOUND_LIBRARY.fullmatch(src):
                problems.append(f"malformed sound-library name {src!r}")
            elif src not in lengths:
                problems.append(f"sound-library clip {src!r} is not in the coach's sound list")
            seconds += lengths.get(src, 0.0)
        elif not src.startswith("https://"):
            problems.append(f"audio src {src!r} is neither https nor the sound library")
    if seconds > MAX_AUDIO_SECONDS[part]:
        problems.append(f"{seconds:g} s of audio, over {MAX_AUDIO_SECONDS[part]:g} s")
    return problems


def ssml_problems(ssml: str, part: str = "speech") -> list[str]:
    problems: list[str] = []
    if len(ssml) > MAX_SPEECH_CHARS:
        problems.append(f"SSML is {len(ssml)} characters, over {MAX_SPEECH_CHARS}")
    try:
        root = ET.fromstring(ssml.replace("<speak>", f'<speak xmlns:amazon="{AMAZON_NS}">', 1))
    except ET.ParseError as error:
        return [*problems, f"SSML is not well-formed XML: {error}"]
    if _tag(root) != "speak":
        problems.append("SSML root element is not <speak>")
    for element in root.iter():
        tag = _tag(element)
        if tag not in SUPPORTED_TAGS:
            problems.append(f"unsupported SSML tag <{tag}>")
        if tag == "break" and "time" in element.attrib:
            seconds = break_seconds(element.attrib["time"])
            if seconds is None:
                problems.append(f"unreadable break time {element.attrib['time']!r}")
            elif seconds > MAX_BREAK_SECONDS:
                problems.append(f"break of {seconds} s is over {MAX_BREAK_SECONDS} s")
    problems += _audio_problems(root, part)
    if not speech_text(ssml).strip():
        problems.append("speech has no words")
    return problems


def asks_something(text: str) -> bool:
    """Whether speech ends by asking the user for something (a question or a 'say ...')."""
    sentences = [s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s]
    if not sentences:
        return False
    last = sentences[-1]
    return bool(QUESTION_END.search(last) or INVITATION.search(last))


def response_problems(envelope: dict[str, Any], request: dict[str, Any] | None = None) -> list[str]:
    """Everything Alexa would reject, or that breaks our conversation rules, in a response.

    With the request, it also checks that screen directives go only to screen devices.
    """
    problems: list[str] = []
    size = len(json.dumps(envelope).encode("utf-8"))
    if size > MAX_RESPONSE_BYTES:
        problems.append(f"response is {size} bytes, over {MAX_RESPONSE_BYTES}")
    if envelope.get("version") != "1.0":
        problems.append("response version is not 1.0")
    response = envelope.get("response") or {}
    speech = (response.get("outputSpeech") or {}).get("ssml")
    reprompt = ((response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
    for name, ssml in (("speech", speech), ("reprompt", reprompt)):
        if ssml is not None:
            problems += [f"{name}: {p}" for p in ssml_problems(ssml, name)]
    card = response.get("card") or {}
    for field in ("content", "text"):
        if len(card.get(field) or "") > MAX_CARD_CHARS:
            problems.append(f"card {field} is over {MAX_CARD_CHARS} characters")
    if request is not None:
        problems += _directive_problems(response, request)
    end = response.get("shouldEndSession")
    if end is False:
        if reprompt is None:
            problems.append("session stays open without a reprompt")
        if speech is None or not asks_something(speech_text(speech)):
            problems.append("session stays open but the speech asks nothing")
    elif end is True:
        if reprompt is not None:
            problems.append("session ends but a reprompt is set")
        if speech is not None and QUESTION_END.search(speech_text(speech)):
            problems.append("session ends on a question")
    elif speech is not None:
        problems.append("shouldEndSession is not set explicitly")
    return problems


def _directive_problems(response: dict[str, Any], request: dict[str, Any]) -> list[str]:
    system = (request.get("context") or {}).get("System") or {}
    interfaces = (system.get("device") or {}).get("supportedInterfaces") or {}
    problems = []
    for directive in response.get("directives") or []:
        kind = directive.get("type", "")
        if kind.startswith("Alexa.Presentation.APL") and "Alexa.Presentation.APL" not in interfaces:
            problems.append(f"{kind} sent to a device without a screen")
        if kind == "Alexa.Presentation.APL.RenderDocument":
            size = len(json.dumps(directive).encode("utf-8"))
            if size > 24 * 1024:
                problems.append(f"APL document is {size} bytes")
    return problems
