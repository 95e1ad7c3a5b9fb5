"""A one-handler hello-world skill: the in-process baseline of bench/turns.py, and (with
`create_app`) the same web service answering "Hello world".

`gunicorn "bench.hello_skill:create_app()"` serves it with the settings of the real one,
so the difference the benchmark measures is the real skill (and verification, when on).
"""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import Response
from flask import Flask

from skill import web
from skill.alexa.builder import Skill


class HelloWorld(AbstractRequestHandler):
    def __init__(self, speech: Callable[[str], str] | None = None) -> None:
        self.speech = speech

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        if self.speech is None:
            return handler_input.response_builder.speak("Hello world").response
        said = self.speech(handler_input.request_envelope.request.request_id)
        return handler_input.response_builder.speak(said).ask("Say next.").response


def build_hello_skill(
    speech: Callable[[str], str] | None = None, *, our_glue: bool = False
) -> CustomSkill:
    """Hello world, on the SDK's own `CustomSkill`; with `speech` (request id -> SSML
    body), a one-handler skill that says a given text instead: the skill's own speech with
    none of its work, the floor an answer of that length costs the SDK. With `our_glue`,
    the same on the skill's `Skill` class (its serializer, no attribute copy), so
    `bench/turns.py` can show what is left of the skill's own work beyond that glue."""
    builder = CustomSkillBuilder()
    builder.add_request_handler(HelloWorld(speech))
    return Skill(builder.skill_configuration) if our_glue else builder.create()


def create_app() -> Flask:
    return web.create_app(skill=build_hello_skill())
