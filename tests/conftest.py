"""Shared fixtures: the skill, and conversations driven through each entry point."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("ANKLE_COACH_DEV_SKIP_VERIFICATION", "1")
os.environ["ANKLE_COACH_STORAGE"] = "none"  # tests that need storage build their own adapter

from skill.alexa.builder import build_skill, invoke_event
from skill.chat.simulator import Conversation


@pytest.fixture(scope="session")
def skill():
    return build_skill()


@pytest.fixture
def send(skill):
    return lambda envelope: invoke_event(skill, envelope)


@pytest.fixture
def conversation(send):
    return Conversation(send=send)


@pytest.fixture(scope="session")
def dynamodb_endpoint():
    """A DynamoDB-compatible server process (moto) on loopback, shared by the storage tests."""
    from tests.storage_support import HAS_MOTO, moto_server

    if not HAS_MOTO:
        pytest.skip("moto[server] is not installed, so no DynamoDB-compatible server can run")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "test")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "test")
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request, tmp_path):
    """Each storage backend in turn: SQLite in a temp folder, DynamoDB on the moto server."""
    if request.param == "sqlite":
        from skill.storage.sqlite import SqliteAdapter

        adapter = SqliteAdapter(tmp_path / "store.sqlite3")
        yield adapter
        adapter.close()
    else:
        from tests.storage_support import make_dynamodb

        yield make_dynamodb(request.getfixturevalue("dynamodb_endpoint"))
