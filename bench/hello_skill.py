"""A one-handler hello-world skill: the in-process baseline of bench/turns.py, and (with
`create_app`) the same web service answering "Hello world".

`gunicorn "bench.hello_skill:create_app()"` serves it with the settings of the real one,
so the difference the benchmark measures is the real skill (and verification, when on).
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import Response
from flask import Flask

from skill import web


class HelloWorld(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello world").response


def build_hello_skill() -> CustomSkill:
    builder = CustomSkillBuilder()
    builder.add_request_handler(HelloWorld())
    return builder.create()


def create_app() -> Flask:
    return web.create_app(skill=build_hello_skill())
