"""`python -m skill chat`: scripted input through a pipe, end to end, and the console's
handling of commands, mistakes and failures."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from skill.chat.console import Console
from skill.chat.session import ChatSession, SendError, http_sender
from skill.chat.simulator import TEST_SKILL_ID
from skill.config import Settings
from skill.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent


def chat(*args: str, stdin: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANKLE_COACH_STORAGE": "none"}
    env.pop("LOG_LEVEL", None)
    return subprocess.run(
        [sys.executable, "-m", "skill", "chat", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


SCRIPT = """\
why do my ankles pop
yes
/bogus
how do I do jumping jacks
blah blah blah
why doo my ankles pop
stop
"""


def test_a_piped_conversation_shows_each_reply_readably():
    result = chat(stdin=SCRIPT)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in out + result.stderr
    assert result.stderr == ""  # the skill's request logs stay out of the way
    blocks = out.split("you> ")
    welcome, why, yes, bogus, jacks, nonsense, typo, stop = blocks
    assert "-> LaunchRequest (new session)" in welcome
    assert "Alexa: " in welcome and "Ankle Coach" in welcome
    assert "reprompt: You could ask: why do my ankles pop?" in welcome
    assert "(session stays open)" in welcome
    assert why.startswith("why do my ankles pop\n  -> WhyAnklesPopIntent noise=pop")
    assert "four usual reasons" in why and "(session stays open)" in why
    assert "-> AMAZON.YesIntent" in yes and "urgent care" in yes
    assert "! unknown command /bogus; type /help for the list" in bogus
    assert "exercise=no match (heard 'jumping jacks')" in jacks
    assert "-> AMAZON.FallbackIntent  [no sample matches]" in nonsense
    assert "[close match to 'why do my ankle pop'" in typo and "four usual reasons" in typo
    assert "-> AMAZON.StopIntent" in stop and "(session ends)" in stop
    assert stop.rstrip().endswith("(end of input)")


def test_end_of_input_in_an_open_session_closes_it_like_alexa():
    out = chat(stdin="what is crepitus\n").stdout
    assert "(end of input)" in out
    assert out.rstrip().endswith("(session ends)")
    assert "-> SessionEndedRequest" in out


def test_json_shows_the_raw_request_and_response():
    out = chat("--json", "--no-launch", stdin="ask ankle coach what helps\n").stdout
    request = out[out.index("request: ") + len("request: ") : out.index("\n  response: ")]
    envelope = json.loads(request)
    assert envelope["request"]["intent"]["name"] == "TreatmentIntent"
    assert envelope["request"]["locale"] == "en-US" and envelope["session"]["new"] is True
    assert '"shouldEndSession": true' in out


def test_an_unknown_locale_is_refused_with_the_choices():
    result = chat("--locale", "xx-XX", stdin="")
    assert result.returncode == 2
    assert "invalid choice: 'xx-XX'" in result.stderr and "en-US" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_url_says_so_without_a_traceback():
    result = chat("--url", "http://127.0.0.1:9/", stdin="why do my ankles pop\n")
    assert result.returncode == 1
    assert "! could not send: could not reach http://127.0.0.1:9/" in result.stdout
    assert "make run" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture
def service(skill):
    app = create_app(skill=skill, settings=Settings(dev_skip_verification=True))
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=5)


def run_console(session: ChatSession, text: str, *, launch: bool = True) -> tuple[int, str]:
    out = io.StringIO()
    status = Console(session, out).run(text.splitlines(), launch=launch)
    return status, out.getvalue()


def test_url_sends_the_same_conversation_over_http(service):
    status, out = run_console(ChatSession(http_sender(service)), "why do my ankles pop\nstop\n")
    assert status == 0
    assert "Ankle Coach" in out and "four usual reasons" in out and "(session ends)" in out


def test_a_service_that_verifies_requests_refuses_with_a_hint(skill):
    settings = Settings(dev_skip_verification=False, skill_ids=(TEST_SKILL_ID,))
    app = create_app(skill=skill, settings=settings)
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        status, out = run_console(ChatSession(http_sender(url)), "stop\n")
    finally:
        server.shutdown()
        thread.join(timeout=5)
    assert status == 1
    assert f"! could not send: {url} answered HTTP 400" in out
    assert "`make run` does not" in out


def test_an_http_error_is_reported_and_the_console_goes_on(service):
    def broken(envelope):
        raise SendError(f"{service} answered HTTP 400: not an Alexa request envelope")

    session = ChatSession(broken)
    status, out = run_console(session, "why do my ankles pop\n/help\n", launch=False)
    assert status == 0
    assert "! could not send: " in out and "HTTP 400" in out
    assert "Type what you would say to Alexa" in out


def test_a_fault_in_the_skill_is_one_line_not_a_traceback(send):
    calls = []

    def flaky(envelope):
        calls.append(envelope)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return send(envelope)

    status, out = run_console(ChatSession(flaky), "why do my ankles pop\nwhat helps\n")
    assert status == 0
    assert "! the skill failed: RuntimeError: boom" in out
    assert "nothing to treat" in out  # the next line still works


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/end SOMETIMES", "! the reason is one of USER_INITIATED"),
        ("/intent", "! usage: /intent NAME [slot=id ...]"),
        ("/intent NoSuchIntent", "! no intent 'NoSuchIntent' in the model"),
        ("/intent CauseIntent reason=gas", "write slot=id; CauseIntent has slots: cause"),
        ("/samples Nope", "! no intent 'Nope' in the model"),
        ('/intent "unclosed', "! could not read that command"),
    ],
)
def test_command_mistakes_get_a_clear_message(send, line, message):
    status, out = run_console(ChatSession(send), line)
    assert status == 0 and message in out


def test_commands_send_exact_requests_and_show_the_session(send):
    script = (
        "/session\n/launch\n/intent CauseIntent cause=gas\n/session\n/samples TipIntent\n/end\n"
    )
    _, out = run_console(ChatSession(send), script, launch=False)
    assert "no session open" in out
    assert "-> CauseIntent cause=gas (heard 'gas bubbles')" in out
    assert "dissolved gas" in out
    assert "  session amzn1.echo-api.session." in out and "attributes: {" in out
    assert "  give me a tip" in out
    assert out.count("-> SessionEndedRequest") == 1


def test_exit_is_a_session_end_and_quit_leaves(send):
    _, out = run_console(ChatSession(send), "exit\nexit\n/quit\nwhat helps\n")
    assert "-> SessionEndedRequest" in out
    assert "(no session is open, so nothing is sent)" in out
    assert "nothing to treat" not in out  # nothing after /quit is read


def test_after_cuts_a_coached_reply_short_at_that_many_seconds(send):
    script = "start calf raises\n/after 60\nwait\n/after nope\nstop\n"
    status, out = run_console(ChatSession(send), script)
    assert status == 0
    assert "the next request comes 60 s after the last one" in out
    assert "Paused. Next up is set 1 of calf raises, from rep" in out
    assert "! usage: /after SECONDS" in out
    assert "[sound:" not in out.split("you> wait")[0], "no rest before the first set"
