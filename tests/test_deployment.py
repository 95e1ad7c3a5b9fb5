"""The SAM template deploys what the code expects, and Lambda keeps progress in DynamoDB."""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from skill.chat.simulator import Conversation, speech_of
from skill.domain.content import load_content
from tests.storage_support import HAS_MOTO, make_dynamodb

ROOT = Path(__file__).resolve().parent.parent
DISCLAIMER = load_content().prompt("disclaimer")


class CfnLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags (!Ref, !Sub, !GetAtt) as plain values."""


CfnLoader.add_multi_constructor("!", lambda loader, suffix, node: {suffix: node.value})


@pytest.fixture(scope="module")
def template():
    return yaml.load((ROOT / "template.yaml").read_text(), Loader=CfnLoader)


def test_function_runs_the_lambda_entry_point_within_alexas_deadline(template):
    function = template["Resources"]["AnkleCoachFunction"]["Properties"]
    assert function["Handler"] == "lambda_handler.handler"
    assert template["Globals"]["Function"]["Runtime"] == "python3.13"
    assert template["Globals"]["Function"]["Timeout"] == 7
    assert function["Events"]["Alexa"]["Type"] == "AlexaSkill"
    assert function["Events"]["Alexa"]["Properties"]["SkillId"] == {"Ref": "SkillId"}


def test_the_table_is_declared_not_created_at_run_time(template):
    table = template["Resources"]["ProgressTable"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert table["Properties"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["Properties"]["KeySchema"] == [{"AttributeName": "id", "KeyType": "HASH"}]
    function = template["Resources"]["AnkleCoachFunction"]["Properties"]
    assert function["Environment"]["Variables"]["ANKLE_COACH_STORAGE"] == {
        "Sub": "dynamodb:${ProgressTable}"
    }
    assert {"DynamoDBCrudPolicy": {"TableName": {"Ref": "ProgressTable"}}} in function["Policies"]


def test_lambda_requirements_cover_the_imports():
    requirements = (ROOT / "requirements.txt").read_text()
    assert "ask-sdk-core" in requirements and "ask-sdk-dynamodb-persistence-adapter" in requirements


@pytest.mark.skipif(importlib.util.find_spec("cfnlint") is None, reason="cfn-lint not installed")
def test_cfn_lint_accepts_the_template():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "cfn-lint"), str(ROOT / "template.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_lambda_entry_point_needs_no_aws_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["ANKLE_COACH_STORAGE"] = "dynamodb:some-table"
    env["ANKLE_COACH_DYNAMODB_REGION"] = "eu-west-1"
    result = subprocess.run(
        [sys.executable, "-c", "import lambda_handler"], cwd=ROOT, env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not HAS_MOTO, reason="moto[server] is not installed")
def test_lambda_keeps_a_user_across_sessions_in_dynamodb(dynamodb_endpoint, monkeypatch):
    import lambda_handler

    adapter = make_dynamodb(dynamodb_endpoint)
    monkeypatch.setenv("ANKLE_COACH_STORAGE", f"dynamodb:{adapter.table_name}")
    monkeypatch.setenv("ANKLE_COACH_DYNAMODB_REGION", "us-east-1")
    monkeypatch.setenv("ANKLE_COACH_DYNAMODB_ENDPOINT", dynamodb_endpoint)
    handler_module = importlib.reload(lambda_handler)
    try:
        talk = Conversation(send=lambda envelope: handler_module.handler(envelope, None))
        assert DISCLAIMER in speech_of(talk.launch())
        talk.intent("AMAZON.StopIntent")
        assert DISCLAIMER not in speech_of(talk.launch())
    finally:
        monkeypatch.undo()
        importlib.reload(lambda_handler)


def test_sam_builds_the_function_with_the_lean_makefile_target(template):
    function = template["Resources"]["AnkleCoachFunction"]
    assert function["Metadata"] == {"BuildMethod": "makefile"}
    makefile = (ROOT / "Makefile").read_text()
    assert "build-AnkleCoachFunction:\n\t$(LAMBDA_PYTHON) scripts/build_lambda.py" in makefile
