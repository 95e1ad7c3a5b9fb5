"""From the repository to a live skill: `make deploy`, or one step at a time.

    python scripts/deploy.py all        # every step below, in order
    python scripts/deploy.py skill      # ASK CLI: create or update the skill from skill-package/
    python scripts/deploy.py build      # sam build + the bundle check (no credentials needed)
    python scripts/deploy.py lambda     # sam deploy (samconfig.toml) with the skill's id
    python scripts/deploy.py endpoint   # the function's ARN (or HTTPS_ENDPOINT) into skill.json
    python scripts/deploy.py update     # ASK CLI again: manifest with endpoint, models built

A step that needs credentials checks for them first and stops, naming what is missing and
how to set it up once (README, "Deploying"), before running anything. The skill id comes
from the ASK CLI's state (.ask/ask-states.json, written by the `skill` step) or SKILL_ID.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "skill-package" / "skill.json"
ASK_STATES = ROOT / ".ask" / "ask-states.json"
ASK = ROOT / "node_modules" / ".bin" / "ask"
ENV_PROFILE = "__ENVIRONMENT_ASK_PROFILE__"  # the ASK CLI's profile read from ASK_* variables
STACK_OUTPUT = "AnkleCoachFunctionArn"
PLACEHOLDER_HOST = "example.org"


class StepError(Exception):
    """A step cannot go on; the message says why and what to do."""


def venv_tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else name


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    print("+ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=ROOT, check=True, text=True, **kwargs)


# --- credentials -------------------------------------------------------------------------


def ask_profile(env: Mapping[str, str], home: Path) -> str:
    """The ASK CLI profile to use, or StepError saying how to create one."""
    # The ASK CLI reads its variables only when all of these are set (its profile-helper.js).
    token = env.get("ASK_REFRESH_TOKEN") or env.get("ASK_ACCESS_TOKEN")
    if (
        token
        and env.get("ASK_VENDOR_ID")
        and env.get("AWS_ACCESS_KEY_ID")
        and env.get("AWS_SECRET_ACCESS_KEY")
    ):
        return ENV_PROFILE
    profile = env.get("ASK_PROFILE", "default")
    config = home / ".ask" / "cli_config"
    if config.is_file():
        profiles = json.loads(config.read_text()).get("profiles", {})
        if profiles.get(profile, {}).get("token"):
            return profile
    raise StepError(
        "no Amazon developer credentials for the ASK CLI. Once per machine, run "
        "`npx ask configure` (it opens a browser to log in with your Amazon developer "
        "account and writes ~/.ask/cli_config), or set ASK_REFRESH_TOKEN (from `npx ask util "
        "generate-lwa-tokens`) and ASK_VENDOR_ID together with AWS_ACCESS_KEY_ID and "
        "AWS_SECRET_ACCESS_KEY, which the ASK CLI reads only as a set."
    )


def check_aws_credentials(env: Mapping[str, str]) -> None:
    """boto3's own credential chain, as SAM uses it: variables, profiles, SSO, roles."""
    import boto3

    if boto3.Session(profile_name=env.get("AWS_PROFILE") or None).get_credentials() is None:
        raise StepError(
            "no AWS credentials for SAM. Once per machine, create an IAM user or SSO role "
            "allowed to deploy CloudFormation, Lambda, IAM roles, DynamoDB and the SAM S3 "
            "bucket, then run `aws configure` (or `aws configure sso`), or set "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)."
        )


# --- steps -------------------------------------------------------------------------------


def ensure_ask_cli() -> None:
    if not ASK.exists():
        if shutil.which("npm") is None:
            raise StepError("the ASK CLI needs Node.js 18 or 20 and npm on PATH")
        run(["npm", "ci", "--no-audit", "--no-fund"])


def step_skill(env: Mapping[str, str]) -> None:
    profile = ask_profile(env, Path.home())
    warn_about_placeholders()
    ensure_ask_cli()
    run([str(ASK), "deploy", "--target", "skill-metadata", "--profile", profile])
    print(f"skill id: {skill_id(env)}")


def step_build(env: Mapping[str, str]) -> None:
    build_env = {**env, "LAMBDA_PYTHON": lambda_python(env)}
    run([venv_tool("sam"), "build", "--build-in-source"], env=build_env)
    run([sys.executable, "scripts/check_bundle.py", ".aws-sam/build/AnkleCoachFunction"],
        env=build_env)  # fmt: skip


def lambda_python(env: Mapping[str, str]) -> str:
    """A Python 3.13 that runs: LAMBDA_PYTHON, python3.13 on PATH, else pyenv's versions
    folder (a pyenv shim on PATH fails unless 3.13 is the selected version)."""
    pyenv = Path(env.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [env.get("LAMBDA_PYTHON"), shutil.which("python3.13", path=env.get("PATH"))]
    candidates += sorted(map(str, pyenv.glob("3.13*/bin/python3.13")), reverse=True)
    for candidate in filter(None, candidates):
        check = [candidate, "-c", "import sys; assert sys.version_info[:2] == (3, 13)"]
        if subprocess.run(check, capture_output=True, check=False).returncode == 0:
            return candidate
    raise StepError(
        "sam build needs Python 3.13, the Lambda runtime's (for the bundle's bytecode): "
        "install it (e.g. `pyenv install 3.13`) or set LAMBDA_PYTHON to one"
    )


def step_lambda(env: Mapping[str, str]) -> None:
    check_aws_credentials(env)
    run([venv_tool("sam"), "deploy", "--parameter-overrides", f"SkillId={skill_id(env)}"])


def step_endpoint(env: Mapping[str, str]) -> None:
    """The Lambda function's ARN; or, for a self-hosted service, HTTPS_ENDPOINT (an https URL)
    with SSL_CERTIFICATE_TYPE (Trusted, Wildcard or SelfSigned; default Trusted)."""
    if env.get("HTTPS_ENDPOINT"):
        endpoint = https_endpoint(env["HTTPS_ENDPOINT"], env.get("SSL_CERTIFICATE_TYPE", "Trusted"))
    else:
        check_aws_credentials(env)
        result = run(
            [venv_tool("sam"), "list", "stack-outputs", "--output", "json"], capture_output=True
        )
        outputs = {item["OutputKey"]: item["OutputValue"] for item in json.loads(result.stdout)}
        if not outputs.get(STACK_OUTPUT):
            raise StepError(f"the stack has no {STACK_OUTPUT} output: run the lambda step first")
        endpoint = {"uri": outputs[STACK_OUTPUT]}
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    text = json.dumps(with_endpoint(manifest, endpoint), indent=2, ensure_ascii=False)
    MANIFEST.write_text(text + "\n", encoding="utf-8")
    print(f"endpoint in {MANIFEST.relative_to(ROOT)}: {endpoint}")


def https_endpoint(url: str, certificate: str) -> dict[str, str]:
    if not url.startswith("https://"):
        raise StepError(f"HTTPS_ENDPOINT must be an https:// URL, not {url!r}")
    if certificate not in {"Trusted", "Wildcard", "SelfSigned"}:
        raise StepError("SSL_CERTIFICATE_TYPE must be Trusted, Wildcard or SelfSigned")
    return {"uri": url, "sslCertificateType": certificate}


def step_update(env: Mapping[str, str]) -> None:
    profile = ask_profile(env, Path.home())
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    if "endpoint" not in manifest["manifest"]["apis"]["custom"]:
        raise StepError("skill.json has no endpoint yet: run the endpoint step first")
    ensure_ask_cli()
    run([str(ASK), "deploy", "--target", "skill-metadata", "--profile", profile])
    print(
        "done: open the developer console's Test tab, set testing to Development, and say "
        "'open ankle coach'."
    )


def with_endpoint(manifest: dict, endpoint: dict[str, str]) -> dict:
    """A copy of the manifest with its custom endpoint set (a function ARN or an https URL)."""
    updated = json.loads(json.dumps(manifest))
    updated["manifest"]["apis"]["custom"]["endpoint"] = endpoint
    return updated


def skill_id(env: Mapping[str, str]) -> str:
    if env.get("SKILL_ID"):
        return env["SKILL_ID"]
    if ASK_STATES.is_file():
        profiles = json.loads(ASK_STATES.read_text()).get("profiles", {})
        for state in profiles.values():
            if state.get("skillId"):
                return state["skillId"]
    raise StepError("no skill id yet: run the skill step first (or set SKILL_ID)")


def warn_about_placeholders() -> None:
    if PLACEHOLDER_HOST in MANIFEST.read_text(encoding="utf-8"):
        print(
            f"warning: skill.json's privacy policy and terms URLs still point to "
            f"{PLACEHOLDER_HOST}; publish docs/privacy.md and docs/terms.md and put their "
            "addresses in before submitting for certification",
            file=sys.stderr,
        )


STEPS: dict[str, Callable[[Mapping[str, str]], None]] = {
    "skill": step_skill,
    "build": step_build,
    "lambda": step_lambda,
    "endpoint": step_endpoint,
    "update": step_update,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=[*STEPS, "all"])
    args = parser.parse_args(argv)
    for name in STEPS if args.step == "all" else [args.step]:
        print(f"== deploy step: {name}", flush=True)
        try:
            STEPS[name](os.environ)
        except StepError as error:
            print(f"deploy stopped at step '{name}': {error}", file=sys.stderr)
            return 2
        except subprocess.CalledProcessError as error:
            print(f"deploy stopped at step '{name}': {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
