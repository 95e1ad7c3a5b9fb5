"""In-process cost of each kind of turn, side by side with a hello-world skill, in one run.

    .venv/bin/python -m bench.turns [--rounds 15] [--repeat 20] [--storage none,sqlite]

The requests are recorded from real sessions (launch, a question, starting an exercise,
every "next" of an exercise and of the whole workout, pause, resume, session end), so the
expensive coached turns are in the mix. Each is then replayed through the skill's real
Lambda entry point (`lambda_handler.answer`: the event dict in, the envelope checks, the
SDK dispatch, the response dict out, checked as JSON), and the same event through
`bench.hello_skill`'s one-handler hello world the way the SDK's own `lambda_handler()`
runs it (JSON text, `DefaultSerializer`, `CustomSkill.invoke`, serialize; its skill built
once, where the SDK's wrapper builds one per call), interleaved in the same round. A
round's ratio is the skill's median over the hello-world median for that kind; the report
gives the median ratio over the rounds with its spread (min to max), and the skill's p99.
Two more baselines, same rounds: "vs same" is a one-handler skill that answers with the
skill's own speech for that request and does nothing else (what the SDK charges for an
answer that long); "vs glue" is hello world on the skill's own SDK glue
(`skill.alexa.builder.Skill`: its serializer, no attribute copy), so it shows what is
left of the skill's own work once the glue it shares with hello world is equal.
"attr B" and "state B" size the session attributes the request carries back and the
coach state among them. Read the ratios, not the times: the 2 cores are shared.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lambda_handler
from bench.hello_skill import build_hello_skill
from skill.alexa.builder import build_skill, invoke_event
from skill.chat.simulator import Conversation
from skill.domain.coach import STATE_KEY, is_active
from skill.storage.sqlite import SqliteAdapter

Event = dict[str, Any]
Handler = Callable[[Event], dict[str, Any]]


def record_sessions(send: Handler) -> dict[str, list[Event]]:
    """Real sessions, driven through `send`, and the request of each turn by kind."""
    kinds: dict[str, list[Event]] = {}

    def turn(kind: str, conversation: Conversation, act: Callable[[], Any]) -> Any:
        before = len(conversation.turns)
        response = act()
        for envelope, _ in conversation.turns[before:]:
            kinds.setdefault(kind, []).append(envelope)
        return response

    def walk(conversation: Conversation, start: Callable[[], Any], limit: int = 40) -> None:
        """Start, then "next" while the exercise is under way: a "next" whose answer opens
        with a rest (its chime) is "next on a rest", the others "next"."""
        response = turn("start exercise", conversation, start)
        for _ in range(limit):
            if (response.get("response") or {}).get("shouldEndSession") is not False:
                break
            if not is_active(conversation.attributes.get(STATE_KEY)):
                break
            response = turn("next", conversation, lambda: conversation.intent("AMAZON.NextIntent"))
            ssml = ((response.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
            if ssml.startswith("<speak><audio"):
                kinds.setdefault("next on a rest", []).append(kinds["next"].pop())

    conversation = Conversation(send=send)
    turn("launch", conversation, conversation.launch)
    turn("question", conversation, lambda: conversation.intent("WhyAnklesPopIntent"))
    walk(conversation, lambda: conversation.intent("StartExerciseIntent", exercise="calf_raises"))
    conversation = Conversation(send=send)
    conversation.launch()
    walk(conversation, lambda: conversation.intent("StartWorkoutIntent"), limit=80)
    conversation = Conversation(send=send)
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="towel_scrunches")
    turn("pause", conversation, lambda: conversation.intent("AMAZON.PauseIntent"))
    turn("resume", conversation, lambda: conversation.intent("AMAZON.ResumeIntent"))
    turn("session end", conversation, conversation.end)
    return kinds


def _attributes_bytes(event: Event, key: str | None = None) -> int:
    """Size (compact JSON) of the session attributes a request carries back, or of one."""
    attributes = (event.get("session") or {}).get("attributes") or {}
    value = attributes if key is None else attributes.get(key)
    return 0 if value is None else len(json.dumps(value, separators=(",", ":")))


def lambda_path(skill: Any) -> Handler:
    """The SDK's way (`SkillBuilder.lambda_handler()`): JSON text in, the model out."""
    return lambda event: invoke_event(skill, event)


def entry_path(skill: Any) -> Handler:
    """The skill's real Lambda entry point, with this skill (storage as measured)."""
    return lambda event: lambda_handler.answer(event, None, skill)[0]


def timed(handler: Handler, events: list[Event], repeat: int) -> list[float]:
    """Microseconds per call, each event `repeat` times."""
    times = []
    for _ in range(repeat):
        for event in events:
            started = time.perf_counter_ns()
            handler(event)
            times.append((time.perf_counter_ns() - started) / 1000)
    return times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def measure(storage: str, rounds: int, repeat: int, folder: Path) -> dict[str, dict[str, float]]:
    adapter = SqliteAdapter(folder / f"{storage}.sqlite3") if storage == "sqlite" else None
    skill = entry_path(build_skill(adapter))
    hello = lambda_path(build_hello_skill())
    hello_glue = lambda_path(build_hello_skill(our_glue=True))
    said: dict[str, str] = {}

    def recording(event: Event) -> dict[str, Any]:
        response = skill(event)
        ssml = ((response.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
        said[event["request"]["requestId"]] = ssml.removeprefix("<speak>").removesuffix("</speak>")
        return response

    same_speech = lambda_path(build_hello_skill(lambda request_id: said.get(request_id, "")))
    kinds = record_sessions(recording)
    ratios: dict[str, list[float]] = {kind: [] for kind in kinds}
    skill_times: dict[str, list[float]] = {kind: [] for kind in kinds}
    hello_times: dict[str, list[float]] = {kind: [] for kind in kinds}
    floor_ratios: dict[str, list[float]] = {kind: [] for kind in kinds}
    glue_ratios: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(rounds):
        for kind, events in kinds.items():
            mine = timed(skill, events, repeat)
            base = timed(hello, events, repeat)
            floor = timed(same_speech, events, repeat)
            glue = timed(hello_glue, events, repeat)
            ratios[kind].append(statistics.median(mine) / statistics.median(base))
            floor_ratios[kind].append(statistics.median(mine) / statistics.median(floor))
            glue_ratios[kind].append(statistics.median(mine) / statistics.median(glue))
            skill_times[kind] += mine
            hello_times[kind] += base
    return {
        kind: {
            "requests": len(kinds[kind]),
            "ratio": round(statistics.median(ratios[kind]), 2),
            "ratio_min": round(min(ratios[kind]), 2),
            "ratio_max": round(max(ratios[kind]), 2),
            "skill_p50_us": round(statistics.median(skill_times[kind])),
            "skill_p99_us": round(percentile(skill_times[kind], 99)),
            "hello_p50_us": round(statistics.median(hello_times[kind])),
            "ratio_same_speech": round(statistics.median(floor_ratios[kind]), 2),
            "ratio_glue": round(statistics.median(glue_ratios[kind]), 2),
            "speech_chars": round(
                statistics.mean(len(said[e["request"]["requestId"]]) for e in kinds[kind])
            ),
            "request_bytes": round(statistics.mean(len(json.dumps(e)) for e in kinds[kind])),
            "attributes_bytes": round(statistics.mean(_attributes_bytes(e) for e in kinds[kind])),
            "state_bytes": round(
                statistics.mean(_attributes_bytes(e, STATE_KEY) for e in kinds[kind])
            ),
        }
        for kind in kinds
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=20, help="replays of each request per round")
    parser.add_argument("--storage", default="none,sqlite")
    parser.add_argument("--target", type=float, default=1.25)
    args = parser.parse_args()
    # Log lines are formatted and written as in production, to memory instead of a pipe.
    logging.basicConfig(level=logging.INFO, stream=io.StringIO(), force=True)
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        for storage in args.storage.split(","):
            report[storage] = measure(storage, args.rounds, args.repeat, Path(folder))
    print(
        f"{'storage':8} {'kind':15} {'n':>3} {'ratio':>6} {'spread':>11} "
        f"{'p50 us':>7} {'p99 us':>7} {'hello us':>8} {'req B':>6} {'attr B':>6} {'state B':>7} "
        f"{'speech':>6} {'vs same':>7} {'vs glue':>7}"
    )
    worst = 0.0
    for storage, kinds in report.items():
        for kind, row in kinds.items():
            worst = max(worst, row["ratio"])
            print(
                f"{storage:8} {kind:15} {row['requests']:3} {row['ratio']:6.2f} "
                f"{row['ratio_min']:5.2f}-{row['ratio_max']:<5.2f} {row['skill_p50_us']:7} "
                f"{row['skill_p99_us']:7} {row['hello_p50_us']:8} {row['request_bytes']:6} "
                f"{row['attributes_bytes']:6} {row['state_bytes']:7} {row['speech_chars']:6} "
                f"{row['ratio_same_speech']:7.2f} {row['ratio_glue']:7.2f}"
            )
    verdict = "meets" if worst <= args.target else "MISSES"
    print(f"worst median ratio {worst:.2f} (target <= {args.target}): {verdict} the target")
    print(json.dumps({"settings": vars(args), "results": report}))


if __name__ == "__main__":
    main()
