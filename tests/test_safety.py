"""Anyone who says they are hurt is never told to carry on: every symptom value, every
diagnosis question, in every situation, gets the right class of answer."""

import pytest

from skill.chat.alexa_rules import response_problems
from skill.chat.nlu import nlu_for
from skill.chat.simulator import session_open, slot_values, speech_of
from skill.domain import coach
from skill.domain.safety import NOT_SYMPTOMS, load_safety
from tests.scenarios import prepared

SAFETY = load_safety()
SYMPTOMS = [v["id"] for v in slot_values("SYMPTOM") if v["id"] not in NOT_SYMPTOMS]
CONDITIONS = [v["id"] for v in slot_values("CONDITION")]
CONTEXTS = (
    "one_shot",
    "in_session",
    "after_answer",
    "mid_exercise",
    "paused_workout",
    "after_offer",
)
EXERCISE_WORDS = (
    "say next",
    "carry on with",
    "get back to",
    "coach you",
    "[pause",
    "Set 1",
    "Rep ",
)


def situation(conversation, context):
    if context == "after_offer":  # an exercise explained, coaching offered
        conversation.launch()
        conversation.intent("ExerciseInfoIntent", exercise="calf_raises")
        return conversation
    return prepared(conversation, context)


def offers_exercise(response) -> bool:
    text = speech_of(response) + str((response.get("response") or {}).get("reprompt"))
    offer = (response.get("sessionAttributes") or {}).get("offer") or ""
    return (
        any(word.lower() in text.lower() for word in EXERCISE_WORDS)
        or offer.startswith(coach.OFFER_PREFIX)
        or offer == "resume_saved"
    )


def check_safe(conversation, response, context, urgent):
    request = conversation.turns[-1][0]
    assert response_problems(response, request) == []
    assert not offers_exercise(response), speech_of(response)
    if urgent:
        assert not session_open(response)
        assert any(w in speech_of(response) for w in ("urgent care", "emergency number"))
    else:
        assert session_open(response) == (context != "one_shot")
    if context in ("mid_exercise", "paused_workout"):
        state = (response.get("sessionAttributes") or {}).get(coach.STATE_KEY)
        if session_open(response):
            assert state["paused"] and state["hurt"]


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("symptom", [*SYMPTOMS, None])
def test_every_symptom_in_every_context(conversation, symptom, context):
    situation(conversation, context)
    response = conversation.intent("SymptomIntent", symptom=symptom, joint=None)
    check_safe(conversation, response, context, SAFETY.is_urgent(symptom))
    if session_open(response):  # "yes" afterwards takes information, never coaching
        after = conversation.intent("AMAZON.YesIntent")
        assert not offers_exercise(after) or "resume" in speech_of(after).lower()
        assert "[pause" not in speech_of(after) and "Set " not in speech_of(after)


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("condition", [*CONDITIONS, None])
def test_every_diagnosis_question_in_every_context(conversation, condition, context):
    situation(conversation, context)
    response = conversation.intent("DiagnosisIntent", condition=condition)
    check_safe(conversation, response, context, urgent=False)
    assert any(w in speech_of(response) for w in ("clinician", "urgent care"))  # no verdict


@pytest.mark.parametrize(
    "said, intent",
    [
        ("is it broken", "DiagnosisIntent"),
        ("could it be a torn ligament", "DiagnosisIntent"),
        ("is it arthritis", "DiagnosisIntent"),
        ("do I need an x ray", "DiagnosisIntent"),
        ("my ankle hurts", "SymptomIntent"),
        ("I sprained it last week and it pops", "SymptomIntent"),
        ("my ankle is swollen", "SymptomIntent"),
        ("I think I broke my ankle", "SymptomIntent"),
        ("it hurts", "SymptomIntent"),
        ("call an ambulance", "SymptomIntent"),
    ],
)
def test_pain_and_diagnosis_phrasings_reach_the_safety_intents(said, intent):
    understood = nlu_for().understand(said)
    assert (understood.intent, understood.match) == (intent, "exact")


def test_pain_mid_set_keeps_the_place_and_does_not_count_the_set(conversation):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="calf_raises")
    response = conversation.intent("SymptomIntent", symptom="pain", joint=None)
    state = response["sessionAttributes"][coach.STATE_KEY]
    assert state["done"].get("calf_raises", []) == [] and state["unit"] == 0
    for said in ("AMAZON.YesIntent", "AMAZON.NextIntent", "MoreIntent", "AMAZON.RepeatIntent"):
        reply = speech_of(conversation.intent(said))
        assert "[pause" not in reply and "Set 1" not in reply, said
    check = speech_of(conversation.intent("AMAZON.ResumeIntent"))
    assert "doesn't hurt" in check and "Set 1" not in check
    assert "Set 1 of 2" in speech_of(conversation.intent("AMAZON.ResumeIntent"))


def test_urgent_mid_set_ends_the_session_and_keeps_the_place(conversation):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="single_leg_balance")
    response = conversation.intent("SymptomIntent", symptom="cant_bear_weight", joint=None)
    assert not session_open(response)
    assert "stopped single-leg balance" in speech_of(response)


def test_my_ankle_feels_fine_restarts_nothing(conversation):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="calf_raises")
    conversation.intent("SymptomIntent", symptom="pain", joint=None)
    response = conversation.intent("SymptomIntent", symptom="fine", joint=None)
    assert "[pause" not in speech_of(response) and "resume" in speech_of(response)


@pytest.mark.parametrize(
    "follow_ups",
    [
        ["AMAZON.YesIntent"] * 6,  # yes to every offer in turn, down the chain of topics
        ["TreatmentIntent", *["AMAZON.YesIntent"] * 5],
        ["WhyAnklesPopIntent", "MoreIntent", "AMAZON.YesIntent", "ExerciseListIntent"],
    ],
    ids=["yes to every offer", "a question then yes", "questions and more"],
)
def test_after_a_pain_stop_nothing_offers_or_starts_exercise(conversation, follow_ups):
    conversation.launch()
    conversation.intent("StartExerciseIntent", exercise="calf_raises")
    conversation.intent("SymptomIntent", symptom="pain", joint=None)
    for intent in follow_ups:
        response = conversation.intent(intent)
        assert response_problems(response, conversation.turns[-1][0]) == []
        assert not offers_exercise(response), (intent, speech_of(response))
        if not session_open(response):
            break


@pytest.mark.parametrize("context", ["mid_exercise", "paused_workout"])
def test_a_missed_phrase_mid_exercise_never_just_says_carry_on(conversation, context):
    """Whatever was not understood might have been "it hurts": the re-ask says how to stop."""
    prepared(conversation, context)
    for _ in range(3):
        response = conversation.intent("AMAZON.FallbackIntent")
        speech = speech_of(response)
        assert "[pause" not in speech
        if "carry on" in speech:
            assert "hurts" in speech and "stop" in speech, speech


SAID_HURT = [
    # (what is said, the symptom id it must be answered as; None: the "unclear" answer)
    ("ow ow", None),
    ("argh my foot", None),
    ("ouch ouch", None),
    ("oh no my ankle really hurts", "pain"),
    ("i heard something snap at the back of my heel", "achilles"),
    ("it's throbbing and i can't wiggle my toes", "cant_move"),
    ("i twisted it and heard a loud crack", "pop_at_injury"),
    ("is it bad that it popped and now i can't walk", "cant_bear_weight"),
]


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize(("said", "symptom"), SAID_HURT, ids=[s for s, _ in SAID_HURT])
def test_cries_and_buried_symptoms_are_answered_in_every_context(
    conversation, said, symptom, context
):
    """Cries of pain, and symptoms inside a longer remark (in a slot Alexa could not place),
    get their symptom's answer wherever they are said, and never an exercise."""
    situation(conversation, context)
    understood = nlu_for().understand(said, strict=True)
    response = conversation.intent(understood.intent, **understood.slots)
    speech = " ".join(speech_of(response).split())
    assert " ".join(SAFETY.symptom(symptom)["answer"].split())[:60] in speech
    check_safe(conversation, response, context, SAFETY.is_urgent(symptom))


@pytest.mark.parametrize(
    "said",
    ["it clicks but it doesn't hurt is that ok", "my ankle pops but there's no pain"],
)
def test_a_noise_that_does_not_hurt_is_a_question_not_a_symptom(said):
    understood = nlu_for().understand(said, strict=True)
    assert understood.intent == "IsItSeriousIntent"
    assert SAFETY.symptom_in([said]) is None


def test_cues_put_urgent_signs_first_and_leave_calm_words_out():
    assert SAFETY.symptom_in(["it hurts and now it's numb"]) == "numb"
    assert SAFETY.symptom_in(["rolled it and heard a loud pop"]) == "pop_at_injury"
    assert SAFETY.symptom_in(["it doesn't hurt at all"]) is None
    assert SAFETY.symptom_in(["the weather like"]) is None
