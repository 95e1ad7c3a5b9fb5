"""Throughput and latency of the gunicorn web service on loopback, verification on and off.

    .venv/bin/python -m bench.web_service [--requests 3000] [--concurrency 4] [--rounds 3]

Three services, each `gunicorn --workers W --threads T` on 127.0.0.1, measured in turns
in one run:
  skill+verify  the real skill, verification on (signed requests, cached certificate)
  hello+verify  a hello-world skill, verification on
  hello         a hello-world skill, verification off: the bare service
The real skill with verification must reach at least 0.8 of the bare hello-world rate,
with p99 under 50 ms. The test CA stands in for Amazon's (see tests/fake_s3.py); after the
first request per worker the certificate is cached, so nothing leaves the machine.
Bounded: a fixed number of requests per measurement, on keep-alive loopback connections.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from skill.chat.simulator import TEST_SKILL_ID, Conversation
from tests.certs import Authority, make_authority, signed_request
from tests.fake_s3 import fake_s3
from tests.gunicorn_support import Served, gunicorn, service_env

Request = tuple[bytes, dict[str, str]]


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


def signed_requests(authority: Authority, count: int = 40) -> list[Request]:
    """A mix of launches and questions, freshly timestamped and signed."""
    requests = []
    intents = ["AMAZON.HelpIntent", "AMAZON.FallbackIntent", "AMAZON.StopIntent"]
    for number in range(count):
        conversation = Conversation(send=lambda e: {})
        if number % 2:
            conversation.launch()
            body = conversation.intent_request(intents[number % len(intents)], {})
        else:
            body = {"type": "LaunchRequest"}
        requests.append(signed_request(conversation.envelope(body), authority.signer))
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
        for env in (verified, bare):
            env["LOG_LEVEL"] = "ERROR"  # per-request lines to a pipe would be measured too
        specs = {
            "skill+verify": ("skill.web:create_app()", verified),
            "hello+verify": ("bench.hello_skill:create_app()", verified),
            "hello": ("bench.hello_skill:create_app()", bare),
        }
        yield {
            name: stack.enter_context(gunicorn(app, env, workers=workers, threads=threads))
            for name, (app, env) in specs.items()
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000, help="per measurement")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    authority = make_authority()
    results: dict[str, list[Result]] = {}
    with services(authority, args.workers, args.threads) as served:
        for round_number in range(args.rounds + 1):  # round 0 warms up (and caches certs)
            for name, service in served.items():
                requests = signed_requests(authority)
                total = args.requests if round_number else 200 * args.workers
                result = load(service.port, requests, total, args.concurrency)
                if round_number:
                    results.setdefault(name, []).append(result)
                    print(
                        f"round {round_number} {name:13} {result.rate:7.0f} req/s "
                        f"p50 {result.percentile(50):5.1f} ms p99 {result.percentile(99):5.1f} ms"
                        f" errors {result.errors}",
                        flush=True,
                    )
    summary = {}
    for name, runs in results.items():
        latencies = [ms for run in runs for ms in run.latencies_ms]
        merged = Result(name, sum(r.requests for r in runs), 1, latencies, 0)
        summary[name] = {
            "req_per_s": round(statistics.median(r.rate for r in runs)),
            "p50_ms": round(merged.percentile(50), 1),
            "p90_ms": round(merged.percentile(90), 1),
            "p99_ms": round(merged.percentile(99), 1),
            "errors": sum(r.errors for r in runs),
        }
    base = summary["hello"]["req_per_s"]
    for name in summary:
        summary[name]["ratio_to_hello"] = round(summary[name]["req_per_s"] / base, 2)
    print(json.dumps({"settings": vars(args), "results": summary}, indent=2))
    ratio = summary["skill+verify"]["ratio_to_hello"]
    p99 = summary["skill+verify"]["p99_ms"]
    verdict = "meets" if ratio >= 0.8 and p99 < 50 else "MISSES"
    print(f"skill+verify: {ratio} of hello-world, p99 {p99} ms: {verdict} the target")


if __name__ == "__main__":
    main()
