"""Throughput and latency of the gunicorn web service on loopback, against hello-world in Flask.

    .venv/bin/python -m bench.web_service [--requests 1500] [--connections 1,8,32] [--rounds 3]

Services, each `gunicorn --workers 4 --threads 1` (the Dockerfile's settings) on 127.0.0.1,
measured in turns in one run:
  skill+verify  the real skill behind skill.web, verification on, as in production
  skill         the same with verification off (development), to show what it costs
  hello         `bench/hello_flask.py`: the ASK SDK's hello world in a minimal Flask app,
                nothing of ours (no checks, no verification, no log line)
The requests are a session mix recorded from real sessions, exercise turns included:
launch, a question, start an exercise, two "next" (mid-exercise and on a rest), pause,
resume and the session's end, re-stamped and signed afresh each round; the hello-world
app gets the same bodies. Target: the real skill at least 0.8 of hello's requests per
second at 1, 8 and 32 connections; p50 and p99 reported. The test CA stands in for
Amazon's (see tests/fake_s3.py); after the first request per worker the certificate is
cached, so nothing leaves the machine. Bounded: a fixed number of requests per measurement.
"""

from __future__ import annotations

import argparse
import copy
import http.client
import json
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bench.turns import record_sessions
from skill.alexa.builder import build_skill, invoke_event
from skill.chat.simulator import TEST_SKILL_ID
from tests.certs import Authority, make_authority, signed_request
from tests.fake_s3 import fake_s3
from tests.gunicorn_support import Served, gunicorn, service_env

Request = tuple[bytes, dict[str, str]]
SKILL = build_skill(None)


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def session_mix() -> list[dict]:
    """One of each kind of turn, from real sessions driven in process (storage off)."""
    kinds = record_sessions(lambda event: invoke_event(SKILL, event))
    nexts = kinds["next"]
    return [
        kinds["launch"][0],
        kinds["question"][0],
        kinds["start exercise"][0],
        nexts[0],
        nexts[len(nexts) // 2],
        kinds["pause"][0],
        kinds["resume"][0],
        kinds["session end"][0],
    ]


def signed_requests(authority: Authority, mix: list[dict]) -> list[Request]:
    """The mix with fresh timestamps and request ids, signed as Alexa signs them."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    requests = []
    for envelope in mix:
        fresh = copy.deepcopy(envelope)
        fresh["request"]["timestamp"] = stamp
        fresh["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
        requests.append(signed_request(fresh, authority.signer))
    return requests


def load(port: int, requests: list[Request], total: int, concurrency: int) -> Result:
    """`total` POSTs over `concurrency` keep-alive connections; latency per request."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    per_client = total // concurrency

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        failed = 0
        for number in range(per_client):
            body, headers = requests[(offset + number) % len(requests)]
            started = time.perf_counter()
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            reply = response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status != 200 or b'"response"' not in reply:
                failed += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(i * 7,)) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return Result("", per_client * concurrency, seconds, latencies, errors[0])


@contextmanager
def services(authority: Authority, workers: int, threads: int) -> Iterator[dict[str, Served]]:
    with fake_s3(authority) as s3, ExitStack() as stack:
        verified = service_env({**s3.env(), "ANKLE_COACH_SKILL_IDS": TEST_SKILL_ID})
        bare = service_env({"ANKLE_COACH_DEV_SKIP_VERIFICATION": "1"})
        specs = {
            "skill+verify": ("skill.web:create_app()", verified),
            "skill": ("skill.web:create_app()", bare),
            "hello": ("bench.hello_flask:create_app()", service_env({})),
        }
        yield {
            name: stack.enter_context(gunicorn(app, env, workers=workers, threads=threads))
            for name, (app, env) in specs.items()
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="per measurement")
    parser.add_argument("--connections", default="1,8,32")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--target", type=float, default=0.8)
    args = parser.parse_args()
    authority = make_authority()
    mix = session_mix()
    levels = [int(c) for c in args.connections.split(",")]
    results: dict[tuple[str, int], list[Result]] = {}
    ratios: dict[tuple[str, int], list[float]] = {}
    with services(authority, args.workers, args.threads) as served:
        for round_number in range(args.rounds + 1):  # round 0 warms up (and caches certs)
            for connections in levels:
                rates = {}
                for name, service in served.items():
                    requests = signed_requests(authority, mix)
                    total = args.requests if round_number else 50 * args.workers
                    total = max(total, connections)
                    result = load(service.port, requests, total, connections)
                    if not round_number:
                        continue
                    rates[name] = result.rate
                    results.setdefault((name, connections), []).append(result)
                    print(
                        f"round {round_number} c={connections:<3} {name:13} {result.rate:7.0f}"
                        f" req/s p50 {result.percentile(50):6.1f} ms"
                        f" p99 {result.percentile(99):6.1f} ms errors {result.errors}",
                        flush=True,
                    )
                for name, rate in rates.items():
                    ratios.setdefault((name, connections), []).append(rate / rates["hello"])
    print(
        f"{'service':13} {'conn':>4} {'req/s':>6} {'ratio':>5} {'spread':>11} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'errors':>6}"
    )
    summary = []
    for (name, connections), runs in results.items():
        latencies = [ms for run in runs for ms in run.latencies_ms]
        merged = Result(name, sum(r.requests for r in runs), 1, latencies, 0)
        spread = ratios[(name, connections)]
        row = {
            "service": name,
            "connections": connections,
            "req_per_s": round(statistics.median(r.rate for r in runs)),
            "ratio_to_hello": round(statistics.median(spread), 2),
            "ratio_min": round(min(spread), 2),
            "ratio_max": round(max(spread), 2),
            "p50_ms": round(merged.percentile(50), 1),
            "p99_ms": round(merged.percentile(99), 1),
            "errors": sum(r.errors for r in runs),
        }
        summary.append(row)
        print(
            f"{name:13} {connections:4} {row['req_per_s']:6} {row['ratio_to_hello']:5.2f} "
            f"{row['ratio_min']:5.2f}-{row['ratio_max']:<5.2f} {row['p50_ms']:7} "
            f"{row['p99_ms']:7} {row['errors']:6}"
        )
    print(json.dumps({"settings": vars(args), "results": summary}))
    worst = min(r["ratio_to_hello"] for r in summary if r["service"] == "skill+verify")
    verdict = "meets" if worst >= args.target else "MISSES"
    print(f"skill+verify: worst {worst} of hello-world's rate: {verdict} the target {args.target}")


if __name__ == "__main__":
    main()
