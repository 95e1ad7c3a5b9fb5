"""Helpers for storage tests: request envelopes per user, and a DynamoDB server process."""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from ask_sdk_model import RequestEnvelope

from skill.alexa.builder import build_skill, parse_envelope
from skill.chat.simulator import TEST_USER_ID, Conversation

_SKILL = build_skill(persistence_adapter=None)
HAS_MOTO = all(importlib.util.find_spec(name) for name in ("moto", "boto3", "ask_sdk_dynamodb"))


def envelope_for(user_id: str) -> RequestEnvelope:
    conversation = Conversation(send=lambda e: {}, user_id=user_id)
    return parse_envelope(_SKILL, json.dumps(conversation.envelope({"type": "LaunchRequest"})))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def moto_server() -> Iterator[str]:
    """A DynamoDB-compatible server (moto, atomic conditional writes) on a free loopback port."""
    port = free_port()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.dynamodb_server", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("moto server exited at start-up") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("moto server did not start within 30 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def make_dynamodb(endpoint: str, budget_s: float = 5.0):
    """A fresh table on the test server, created as the SAM template declares it (a roomy
    storage budget: the test machine is shared, and timeouts are tested on their own)."""
    import boto3

    from skill.storage.dynamodb import dynamodb_adapter

    table = f"ankle-coach-{uuid.uuid4().hex[:8]}"
    boto3.client("dynamodb", region_name="us-east-1", endpoint_url=endpoint).create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return dynamodb_adapter(table, "us-east-1", endpoint, budget_s=budget_s)


def stored(adapter, user_id: str = TEST_USER_ID) -> dict | None:
    """What the backend holds for a user (None when there is no record)."""
    attributes = adapter.get_attributes(envelope_for(user_id))
    return {k: v for k, v in attributes.items() if k != "_rev"} or None
