"""Settings from the environment: the DynamoDB region's fallbacks and the storage location."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from skill.config import Settings
from skill.storage import StorageConfigError, adapter_from_settings

ROOT = Path(__file__).resolve().parent.parent
REGIONS = {
    "ANKLE_COACH_DYNAMODB_REGION": "eu-west-1",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "ap-northeast-1",
}


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (["ANKLE_COACH_DYNAMODB_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"], "eu-west-1"),
        (["AWS_REGION", "AWS_DEFAULT_REGION"], "us-east-1"),
        (["AWS_DEFAULT_REGION"], "ap-northeast-1"),
        ([], None),
    ],
)
def test_region_comes_from_the_first_variable_set(present, expected):
    env = {name: REGIONS[name] for name in present}
    assert Settings.from_env(env).dynamodb_region == expected


def test_a_blank_region_variable_falls_through_to_the_next():
    env = {"ANKLE_COACH_DYNAMODB_REGION": " ", "AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-west-2"}
    assert Settings.from_env(env).dynamodb_region == "eu-west-2"


def test_dynamodb_without_any_region_names_all_three_variables():
    settings = Settings.from_env({"ANKLE_COACH_STORAGE": "dynamodb:t"})
    with pytest.raises(StorageConfigError) as error:
        adapter_from_settings(settings)
    for name in REGIONS:
        assert name in str(error.value)


@pytest.mark.parametrize("variable", ["AWS_REGION", "AWS_DEFAULT_REGION"])
def test_self_hosted_dynamodb_with_only_one_aws_variable_builds_its_client(variable):
    """The reported bug: AWS_REGION alone gave botocore's NoRegionError on first use."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANKLE_COACH_"))}
    env |= {variable: "eu-west-1", "ANKLE_COACH_STORAGE": "dynamodb:progress"}
    env |= {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    code = (
        "from skill.config import Settings\n"
        "from skill.storage import adapter_from_settings\n"
        "adapter = adapter_from_settings(Settings.from_env())\n"
        'print(adapter.dynamodb.Table("progress").meta.client.meta.region_name)\n'
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "eu-west-1"


def test_default_storage_is_an_absolute_path_under_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    storage = Settings.from_env({}).storage
    assert storage == f"sqlite:{tmp_path.resolve() / 'var' / 'ankle-coach.sqlite3'}"


def test_data_dir_setting_moves_the_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Settings.from_env({"ANKLE_COACH_DATA_DIR": "state"}).storage == (
        f"sqlite:{tmp_path.resolve() / 'state' / 'ankle-coach.sqlite3'}"
    )
    assert Settings.from_env({"ANKLE_COACH_DATA_DIR": "/data"}).storage == (
        "sqlite:/data/ankle-coach.sqlite3"
    )


def test_an_explicit_storage_setting_wins_and_empty_still_means_none():
    assert Settings.from_env({"ANKLE_COACH_STORAGE": "none"}).storage == "none"
    assert adapter_from_settings(Settings.from_env({"ANKLE_COACH_STORAGE": ""})) is None
