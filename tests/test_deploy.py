"""`make deploy`: each step alone, and a clear stop where credentials are missing."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("deploy", ROOT / "scripts" / "deploy.py")
deploy = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(deploy)
ALEXA_LAMBDA_REGIONS = {"us-east-1", "eu-west-1", "us-west-2"}


def run_deploy(step: str, home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ASK_", "SKILL_"))}
    env |= {"HOME": str(home), "AWS_EC2_METADATA_DISABLED": "true", **extra}
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "deploy.py"), step],
        env=env, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip


def test_deploy_without_credentials_stops_at_the_first_step_saying_how_to_set_them_up(tmp_path):
    result = run_deploy("all", tmp_path)
    assert result.returncode == 2
    assert "deploy stopped at step 'skill'" in result.stderr
    assert "npx ask configure" in result.stderr
    assert "== deploy step: build" not in result.stdout  # nothing after the failed step


def test_the_lambda_step_alone_names_the_missing_aws_credentials(tmp_path):
    result = run_deploy("lambda", tmp_path, SKILL_ID="amzn1.ask.skill.0000")
    assert result.returncode == 2
    assert "no AWS credentials" in result.stderr and "aws configure" in result.stderr


def test_the_ask_cli_environment_profile_needs_all_four_variables(tmp_path):
    four = {"ASK_REFRESH_TOKEN": "r", "ASK_VENDOR_ID": "v", "AWS_ACCESS_KEY_ID": "a",
            "AWS_SECRET_ACCESS_KEY": "s"}  # fmt: skip
    assert deploy.ask_profile(four, tmp_path) == deploy.ENV_PROFILE
    with pytest.raises(deploy.StepError):
        deploy.ask_profile({k: v for k, v in four.items() if k != "AWS_ACCESS_KEY_ID"}, tmp_path)


def test_a_configured_ask_profile_is_used(tmp_path):
    (tmp_path / ".ask").mkdir()
    config = {"profiles": {"work": {"token": {"refresh_token": "x"}, "vendor_id": "V"}}}
    (tmp_path / ".ask" / "cli_config").write_text(json.dumps(config))
    assert deploy.ask_profile({"ASK_PROFILE": "work"}, tmp_path) == "work"
    with pytest.raises(deploy.StepError):
        deploy.ask_profile({}, tmp_path)  # "default" is not configured


def test_the_endpoint_step_writes_the_function_arn_into_a_copy_of_the_manifest():
    manifest = json.loads(deploy.MANIFEST.read_text())
    arn = "arn:aws:lambda:us-east-1:123456789012:function:ankle-coach-AnkleCoachFunction-x"
    updated = deploy.with_endpoint(manifest, {"uri": arn})
    assert updated["manifest"]["apis"]["custom"]["endpoint"] == {"uri": arn}
    assert "endpoint" not in manifest["manifest"]["apis"]["custom"]
    assert updated["manifest"]["apis"]["custom"]["interfaces"]


def test_the_skill_id_comes_from_the_ask_cli_state_or_the_environment(tmp_path, monkeypatch):
    states = tmp_path / "ask-states.json"
    monkeypatch.setattr(deploy, "ASK_STATES", states)
    with pytest.raises(deploy.StepError):
        deploy.skill_id({})
    states.write_text(json.dumps({"profiles": {"default": {"skillId": "amzn1.ask.skill.1"}}}))
    assert deploy.skill_id({}) == "amzn1.ask.skill.1"
    assert deploy.skill_id({"SKILL_ID": "amzn1.ask.skill.2"}) == "amzn1.ask.skill.2"


def test_samconfig_deploys_to_an_alexa_region_with_iam_capability_and_no_skill_id():
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    assert config["default"]["global"]["parameters"]["region"] in ALEXA_LAMBDA_REGIONS
    assert config["default"]["deploy"]["parameters"]["capabilities"] == "CAPABILITY_IAM"
    assert config["default"]["build"]["parameters"]["build_in_source"] is True
    assert "amzn1.ask.skill" not in (ROOT / "samconfig.toml").read_text()


def test_a_self_hosted_endpoint_is_an_https_url_with_a_certificate_type():
    assert deploy.https_endpoint("https://coach.example.org/", "Wildcard") == {
        "uri": "https://coach.example.org/",
        "sslCertificateType": "Wildcard",
    }
    with pytest.raises(deploy.StepError):
        deploy.https_endpoint("http://coach.example.org/", "Trusted")
    with pytest.raises(deploy.StepError):
        deploy.https_endpoint("https://coach.example.org/", "Whatever")


def test_the_build_step_refuses_a_python_that_is_not_the_lambda_runtimes(tmp_path):
    env = {"LAMBDA_PYTHON": sys.executable, "PATH": str(tmp_path), "PYENV_ROOT": str(tmp_path)}
    if sys.version_info[:2] == (3, 13):
        assert deploy.lambda_python(env) == sys.executable
    else:
        with pytest.raises(deploy.StepError, match=r"Python 3\.13"):
            deploy.lambda_python(env)
