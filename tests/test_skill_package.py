"""The skill package: generated models up to date, and a manifest that agrees with them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate_models = _script("generate_models")
check_manifest = _script("check_manifest")
MODEL = json.loads((generate_models.OUTPUT / "en-GB.json").read_text(encoding="utf-8"))


def test_generated_models_are_up_to_date():
    stale = generate_models.stale()
    assert not stale, f"stale skill-package models {stale}: run `{generate_models.COMMAND}`"


def test_en_us_model_is_the_source_with_the_grammar_samples():
    source = json.loads(generate_models.SOURCE.read_text(encoding="utf-8"))
    expected = generate_models.with_grammar(source, generate_models.grammar())
    assert json.loads((generate_models.OUTPUT / "en-US.json").read_text()) == expected


def test_local_wording_is_added_never_a_sample_under_two_intents():
    source = json.loads(generate_models.SOURCE.read_text(encoding="utf-8"))
    model = generate_models.localise(source, {"physical therapist": ["physio"]})
    intents = model["interactionModel"]["languageModel"]["intents"]
    samples = [" ".join(s.lower().split()) for i in intents for s in i.get("samples", [])]
    assert len(samples) == len(set(samples))
    added = set(samples) - {
        " ".join(s.lower().split())
        for i in source["interactionModel"]["languageModel"]["intents"]
        for s in i.get("samples", [])
    }
    assert added and all("physio" in s for s in added)


def test_the_manifest_check_passes():
    assert check_manifest.problems() == []


@pytest.mark.parametrize(
    ("phrases", "complaint"),
    [
        (["Alexa, ask ankle coach why do my ankles pop"], "first example phrase"),
        (["Alexa, open ankle coach", "Alexa, ask ankle coach to juggle"], "not a sample"),
        (
            ["Alexa, open ankle coach", "Alexa, ask ankle coach to start jumping jacks"],
            "not a sample",
        ),
        (["Alexa, open ankle coach", "Alexa, tell me why my ankles pop"], "not 'Alexa, ask"),
        (["Alexa, open ankle coach", *["Alexa, ask ankle coach what helps"] * 3], "1 to 3"),
    ],
)
def test_example_phrases_that_drift_from_the_model_are_caught(phrases, complaint):
    problems = check_manifest.example_problems("en-GB", phrases, MODEL)
    assert any(complaint in problem for problem in problems), problems


def test_example_phrases_may_fill_slots_with_synonyms():
    phrases = ["Alexa, open ankle coach", "Alexa, ask ankle coach to start heel raises"]
    assert check_manifest.example_problems("en-GB", phrases, MODEL) == []


def test_the_ask_cli_is_pinned_to_a_release_that_starts_on_node_20():
    package = json.loads((ROOT / "package.json").read_text())
    assert package["devDependencies"]["ask-cli"] == "2.30.7"
    assert package["overrides"]["antlr4ts"] == "0.5.0-alpha.4"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/antlr4ts"]["version"] == "0.5.0-alpha.4"
    resources = json.loads((ROOT / "ask-resources.json").read_text())
    assert resources["profiles"]["default"]["skillMetadata"]["src"] == "./skill-package"


@pytest.mark.parametrize("page", ["docs/privacy.md", "docs/terms.md"])
def test_privacy_policy_and_terms_are_ready_to_publish(page):
    text = (ROOT / page).read_text()
    assert "not medical advice" in text and "delete my data" in text


SMAPI_SPEC = ROOT / "node_modules" / "ask-smapi-model" / "spec.json"


@pytest.mark.skipif(not SMAPI_SPEC.is_file(), reason="no ASK CLI installed here (npm ci)")
def test_manifest_and_models_follow_the_skill_management_apis_schema():
    """Checked against the SMAPI model that ships with the pinned ASK CLI, where installed."""
    import jsonschema

    definitions = json.loads(SMAPI_SPEC.read_text())["definitions"]

    def errors(name: str, document: dict) -> list[str]:
        schema = {"$ref": f"#/definitions/{name}", "definitions": definitions}
        return [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(document)]

    manifest = json.loads((ROOT / "skill-package" / "skill.json").read_text())["manifest"]
    assert errors("v1.skill.Manifest.SkillManifest", manifest) == []
    for path in generate_models.OUTPUT.glob("*.json"):
        model = json.loads(path.read_text())
        assert errors("v1.skill.interactionModel.InteractionModelData", model) == [], path.name
