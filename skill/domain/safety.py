"""Someone says their ankle hurts, or asks what is wrong with it: triage, never diagnosis.

The words and each symptom's class are data (`skill/data/<locale>/safety.toml`). The rules
are here, in one place, so no handler can get them wrong:

- "urgent" (cannot bear weight, deformed, numb, a pop at the moment of injury, Achilles, a
  suspected break, "call an ambulance"): urgent care or the emergency number, no offer, and
  the session ends;
- "clinician" (pain, swelling, giving way, locking, popping since an injury...): no more
  exercise today, get it checked; the only offer is information, never coaching;
- diagnosis questions ("is it broken"): no yes or no, only the signs and whom to see;
- words Alexa could not place ("I rolled it and heard a loud pop"): their symptom is found by
  its cue words (`symptom_in`), urgent ones first, so a buried symptom still gets its answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from skill.domain.content import DEFAULT_LOCALE, Content, read_data, shipped_locale
from skill.domain.reply import Reply
from skill.domain.speech import Segment, pick

URGENT = "urgent"
CLINICIAN = "clinician"


@dataclass(frozen=True)
class Safety:
    symptoms: dict[str, dict[str, str]]
    conditions: dict[str, dict[str, str]]
    lines: dict[str, str]
    offers: dict[str, str]
    default_symptom: str
    default_condition: str
    cues: dict[str, tuple[str, ...]]
    """Symptom id -> phrases that place it, in the order they are checked."""
    calm: tuple[str, ...]
    """Phrases taken out before the cues are looked for ("doesn't hurt")."""

    def symptom(self, symptom_id: str | None) -> dict[str, str]:
        return self.symptoms.get(symptom_id or "", self.symptoms[self.default_symptom])

    def condition(self, condition_id: str | None) -> dict[str, str]:
        return self.conditions.get(condition_id or "", self.conditions[self.default_condition])

    def is_urgent(self, symptom_id: str | None) -> bool:
        return self.symptom(symptom_id)["class"] == URGENT

    def symptom_in(self, texts: Iterable[str]) -> str | None:
        """The symptom that words say, urgent ones first; None when they say none."""
        said = " ".join(_words(text) for text in texts)
        for phrase in self.calm:
            said = re.sub(rf"\b{re.escape(phrase)}\b", " ", said)
        found = [
            symptom_id
            for symptom_id, phrases in self.cues.items()
            if any(re.search(rf"\b{re.escape(phrase)}\b", said) for phrase in phrases)
        ]
        urgent = [symptom_id for symptom_id in found if self.is_urgent(symptom_id)]
        return (urgent or found or [None])[0]


def _words(text: str) -> str:
    """Lower-case words with straight apostrophes, as the cues are written."""
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text.lower().replace("\u2019", "'")).split())


def load_safety(locale: object = DEFAULT_LOCALE) -> Safety:
    return _load_safety(shipped_locale(locale))


@cache
def _load_safety(locale: str) -> Safety:
    raw = read_data(locale, "safety.toml")  # the locale's word swaps applied
    cues = dict(raw["cues"])
    calm = tuple(_words(phrase) for phrase in cues.pop("calm", ()))
    return Safety(
        cues={key: tuple(_words(p) for p in phrases) for key, phrases in cues.items()},
        calm=calm,
        symptoms=raw["symptoms"],
        conditions=raw["conditions"],
        lines=raw["lines"],
        offers=raw["offers"],
        default_symptom=raw["default_symptom"],
        default_condition=raw["default_condition"],
    )


def _close(
    content: Content, safety: Safety, entry: dict[str, str], *, one_shot: bool, key: str
) -> tuple[tuple[Segment, ...], tuple[Segment, ...], str | None]:
    """How an answer ends: urgent ones end the session, the rest offer information only."""
    if entry.get("class") == URGENT:
        return (safety.lines["urgent_close"],), (), None
    if one_shot:
        return (pick(content.prompt("one_shot_close"), f"close:{key}"),), (), None
    offer = safety.offers[entry["next"]]
    return (offer,), (offer,), entry["next"]


def symptom_reply(
    content: Content,
    symptom_id: str | None,
    *,
    one_shot: bool,
    key: str,
    stopped: tuple[Segment, ...] = (),
) -> Reply:
    """The answer to "my ankle hurts"; `stopped` is what the coach said when it stopped."""
    safety = load_safety(content.locale)
    entry = safety.symptom(symptom_id)
    close, reprompt, offer = _close(content, safety, entry, one_shot=one_shot, key=key)
    return Reply(speech=(entry["answer"], *stopped, *close), reprompt=reprompt, offer=offer)


NOT_SYMPTOMS = ("fine",)
"""SYMPTOM slot ids that are no symptom: "my ankle feels fine"."""


def fine_reply(content: Content, *, coaching: bool) -> Reply:
    """ "It feels fine now": glad, and nothing restarts by itself (resume still checks)."""
    lines = load_safety(content.locale).lines
    close = lines["fine_coaching"] if coaching else lines["fine_question"]
    return Reply(speech=(lines["fine"], close), reprompt=(lines["fine_reprompt"],))


def condition_reply(
    content: Content,
    condition_id: str | None,
    *,
    one_shot: bool,
    key: str,
    stopped: tuple[Segment, ...] = (),
) -> Reply:
    """The answer to "is it broken": the signs and whom to see, never a diagnosis."""
    safety = load_safety(content.locale)
    entry = safety.condition(condition_id)
    close, reprompt, offer = _close(content, safety, entry, one_shot=one_shot, key=key)
    return Reply(speech=(entry["answer"], *stopped, *close), reprompt=reprompt, offer=offer)
