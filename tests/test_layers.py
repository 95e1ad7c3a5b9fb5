"""The layering holds: `lint-imports` checks the package; this checks what it cannot see.

import-linter analyses packages only, so `lambda_handler.py` (a top-level module, as SAM
wants it) is checked by running it in a fresh interpreter and looking at what got loaded.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAMBDA_PROBE = """
import json, sys
import lambda_handler
from skill.chat.simulator import Conversation
conversation = Conversation(send=lambda envelope: {})
envelope = conversation.envelope({"type": "LaunchRequest"})
reply = lambda_handler.handler(envelope, None)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"flask", "werkzeug"}
                or m.startswith("skill.web"))
print(json.dumps({"loaded": loaded, "speech": reply["response"]["outputSpeech"]["ssml"]}))
"""


def test_lambda_handler_answers_without_loading_flask_or_the_web_service():
    out = subprocess.run(
        [sys.executable, "-c", LAMBDA_PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"ANKLE_COACH_STORAGE": "none", "PATH": ""},
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["speech"].startswith("<speak>")
    assert result["loaded"] == []


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout
