"""Generated envelopes through both entry points: never a 500, the same outcome from
`POST /` and `lambda_handler`, every answer valid for Alexa, no speech where Alexa allows
none, and no traceback logged for any of it (every input here is either valid or an
input error).

`make test` runs a few hundred; `make fuzz` runs FUZZ_EXAMPLES (5,000) and prints the
figures: envelopes per entry point and outcome, per request type.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter

from hypothesis import HealthCheck, Verbosity, given, settings

from skill.alexa.builder import invoke_event
from skill.config import Settings
from skill.web.app import create_app
from tests.entry_support import via_lambda, via_web
from tests.fuzz_envelopes import (
    MODEL_INTENTS,
    REQUEST_TYPES,
    envelopes,
    problems_with,
    real_sessions,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))


class Collect(logging.Handler):
    """Every record with a traceback, and every ERROR, while the fuzz runs."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.bad: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.levelno >= logging.ERROR:
            self.bad.append(record)


def test_generated_envelopes_through_both_entry_points(skill):
    samples = real_sessions(lambda envelope: invoke_event(skill, envelope))
    client = create_app(skill=skill, settings=Settings(dev_skip_verification=True)).test_client()
    stats: Counter[str] = Counter()
    failures: list[str] = []
    collector = Collect()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(collector)
    root.setLevel(logging.INFO)

    @settings(
        max_examples=EXAMPLES,
        verbosity=Verbosity.quiet,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(envelopes(samples))
    def run(envelope):
        body = json.dumps(envelope).encode("utf-8", "surrogatepass")
        before = len(collector.bad)
        web = via_web(client, body)
        lam = via_lambda(json.loads(body))
        kind = describe(envelope)
        stats["envelopes"] += 1
        stats[f"web {web.status}"] += 1
        stats[f"lambda {'refused' if lam.refused else 'answered'}"] += 1
        stats[f"type {kind} {'refused' if web.refused else 'answered'}"] += 1
        if web.refused:
            stats[f"reason {web.reason}"] += 1
        problems = []
        if web.status not in (200, 400):
            problems.append(f"web status {web.status}")
        if not web.same_as(lam):
            problems.append("web and lambda differ")
        for name, outcome in (("web", web), ("lambda", lam)):
            if not outcome.refused:
                problems += [f"{name}: {p}" for p in problems_with(envelope, outcome.response)]
        if len(collector.bad) > before:
            record = collector.bad[-1]
            problems.append(f"logged {record.levelname}: {record.getMessage()[:120]}")
        for problem in problems:
            stats[category(problem)] += 1
        if problems:
            stats["failed"] += 1
            failures.append(f"{problems} for {json.dumps(envelope)[:600]}")
        assert not problems, str(problems)[:500]

    try:
        run()
    except AssertionError:
        pass  # reported below, shortly, instead of Hypothesis' full example
    finally:
        root.removeHandler(collector)
        root.setLevel(old_level)
        print_figures(stats)
    assert not failures, "\n".join(failures[:3])
    assert stats["envelopes"] >= EXAMPLES * 0.9


TARGETS = (
    "HTTP 500 (or other non-400 error)",
    "web and lambda differ",
    "invalid response envelope",
    "malformed SSML",
    "speech where Alexa allows none",
    "ERROR or traceback logged",
)


def category(problem: str) -> str:
    if "web status" in problem:
        return TARGETS[0]
    if "differ" in problem:
        return TARGETS[1]
    if "SSML" in problem or "speech:" in problem or "reprompt:" in problem:
        return TARGETS[3]
    if "speech on" in problem:
        return TARGETS[4]
    if "logged" in problem:
        return TARGETS[5]
    return TARGETS[2]


def describe(envelope: dict) -> str:
    """The request type, and for intents whether ours; anything odd is <other>."""
    request = envelope.get("request")
    kind = request.get("type") if isinstance(request, dict) else None
    if kind not in REQUEST_TYPES:
        return "<other>"
    if kind == "IntentRequest":
        intent = request.get("intent")
        name = intent.get("name") if isinstance(intent, dict) else None
        return "IntentRequest (ours)" if name in MODEL_INTENTS else "IntentRequest (unknown)"
    return kind


def print_figures(stats: Counter[str]) -> None:
    print(f"\nfuzz: {stats['envelopes']} envelopes through POST / and lambda_handler.handler")
    for target in TARGETS:
        print(f"  {target}: {stats[target]}")
    for key in sorted(stats):
        if key != "envelopes" and key not in TARGETS:
            print(f"  {key}: {stats[key]}")
