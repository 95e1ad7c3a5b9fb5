"""Shared fixtures: the skill, and conversations driven through each entry point."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("ANKLE_COACH_DEV_SKIP_VERIFICATION", "1")
os.environ["ANKLE_COACH_STORAGE"] = "none"  # tests that need storage build their own adapter

from skill.builder import build_skill, invoke_event
from skill.simulator import Conversation


@pytest.fixture(scope="session")
def skill():
    return build_skill()


@pytest.fixture
def send(skill):
    return lambda envelope: invoke_event(skill, envelope)


@pytest.fixture
def conversation(send):
    return Conversation(send=send)
