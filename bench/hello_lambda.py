"""The cold-start baseline: a minimal ASK SDK hello-world Lambda handler, nothing else.

It is what Amazon's "hello world" sample builds: `SkillBuilder`, one handler, the SDK's
own `lambda_handler()`; no Flask, no storage. `bench/cold_start.py` compares it with ours.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.skill_builder import SkillBuilder
from ask_sdk_model import Response


class HelloWorld(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return True

    def handle(self, handler_input: HandlerInput) -> Response:
        return handler_input.response_builder.speak("Hello world").response


builder = SkillBuilder()
builder.add_request_handler(HelloWorld())
handler = builder.lambda_handler()
