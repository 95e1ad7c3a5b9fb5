"""Coaching remembered across sessions: finished exercises counted, the saved place
resumed another day, the tempo kept. Driven by requests through the skill, on SQLite."""

from __future__ import annotations

from skill.alexa.coaching_interceptors import newly_completed
from skill.chat.alexa_rules import response_problems
from skill.chat.simulator import session_open, speech_of
from skill.domain.content import load_content
from tests.storage_support import stored
from tests.test_storage_skill import conversation_on

WELCOME_BACK = load_content().prompt("welcome_back")


def coach_state(talk) -> dict:
    return talk.attributes.get("coach") or {}


def continues_after_set_one(talk, response) -> bool:
    """Resumed from the saved place: the same exercise, set 1 still done, not restarted."""
    state = coach_state(talk)
    return (
        session_open(response)
        and bool(speech_of(response))
        and state.get("routine") == ["calf_raises"]
        and len(state["done"].get("calf_raises", [])) == 1
        and not state["finished"]
    )


def finish(talk, limit: int = 30):
    """Say next until the exercise is done; every reply on the way must be valid."""
    for _ in range(limit):
        response = talk.intent("AMAZON.NextIntent")
        assert response_problems(response, talk.turns[-1][0]) == []
        if not coach_state(talk) or coach_state(talk).get("finished"):
            return response
    raise AssertionError("the exercise never finished")


def test_a_finished_exercise_is_counted_dated_and_reported(store):
    talk = conversation_on(store)
    talk.launch()
    talk.intent("StartExerciseIntent", exercise="towel_scrunches")
    finish(talk)
    progress = stored(store)
    assert progress["completed"] == {"towel_scrunches": 1}
    assert progress["recent"][-1]["exercise"] == "towel_scrunches"
    assert progress["streak"]["days"] == 1
    assert "position" not in progress, "nothing left to resume"
    assert talk.in_session, "after the last set the skill asks what next"
    report = speech_of(talk.intent("ProgressIntent"))
    assert "one session" in report and "towel scrunches" in report


def left_after_set_one(store, *, walked_away: bool = False):
    """A session that did calf raises' set-up and set 1, then stopped (or timed out)."""
    talk = conversation_on(store)
    talk.launch()
    talk.intent("StartExerciseIntent", exercise="calf_raises")
    if walked_away:
        return talk, talk.end("EXCEEDED_MAX_REPROMPTS")
    return talk, talk.intent("AMAZON.StopIntent")


def test_stopping_mid_exercise_is_resumed_in_a_later_session(store):
    _, stop = left_after_set_one(store)
    assert not session_open(stop)
    assert stored(store)["position"]["routine"] == ["calf_raises"]

    tomorrow = conversation_on(store)
    welcome = tomorrow.launch()
    speech = speech_of(welcome)
    assert any(greeting in speech for greeting in WELCOME_BACK)
    assert "1 of 2 sets of calf raises" in speech
    assert session_open(welcome) and response_problems(welcome) == []
    resumed = tomorrow.intent("AMAZON.ResumeIntent")
    assert continues_after_set_one(tomorrow, resumed)
    assert coach_state(tomorrow)["routine"] == ["calf_raises"]


def test_yes_at_the_welcome_back_resumes_too(store):
    left_after_set_one(store, walked_away=True)
    later = conversation_on(store)
    later.launch()
    assert continues_after_set_one(later, later.intent("AMAZON.YesIntent"))


def test_resume_in_a_new_session_without_launch(store):
    left_after_set_one(store)
    one_shot = conversation_on(store)  # "Alexa, ask ankle coach to resume my workout"
    assert continues_after_set_one(one_shot, one_shot.intent("AMAZON.ResumeIntent"))


def test_the_tempo_preference_carries_over(store):
    talk = conversation_on(store)
    talk.launch()
    talk.intent("StartExerciseIntent", exercise="calf_raises")
    talk.intent("SlowerIntent")
    slower = coach_state(talk)["tempo"]
    assert slower != 1.0
    talk.intent("AMAZON.StopIntent")
    assert stored(store)["tempo"] == slower
    later = conversation_on(store)
    later.launch()
    later.intent("StartExerciseIntent", exercise="single_leg_balance")
    assert coach_state(later)["tempo"] == slower


def test_reset_forgets_the_saved_place(store):
    left_after_set_one(store)
    again = conversation_on(store)
    again.launch()
    again.intent("ResetProgressIntent")
    again.intent("AMAZON.YesIntent")
    assert "position" not in stored(store)
    assert stored(store)["disclaimer_heard"] is True


def test_newly_completed_handles_a_fresh_run():
    assert newly_completed(["calf_raises"], ["calf_raises", "side_steps"]) == ["side_steps"]
    assert newly_completed(["calf_raises"], []) == []
    assert newly_completed(["calf_raises"], ["towel_scrunches"]) == ["towel_scrunches"]


def test_a_session_that_ends_mid_set_resumes_from_that_rep_in_a_later_session(store):
    """Alexa cuts the reply when the user leaves; the SessionEndedRequest's timestamp says
    how far it got: the set under way is not done, and tomorrow goes on from its rep."""
    talk = conversation_on(store)
    talk.launch()
    talk.intent("StartExerciseIntent", exercise="calf_raises")
    plan = coach_state(talk)["plan"]
    third_rep = plan["units"][0][5][2]
    talk.interrupt(third_rep + 1 + 2)  # 1 s into rep 3, plus the delivery allowance
    talk.end("USER_INITIATED")
    saved = stored(store)["position"]
    assert saved["rep"] == 3 and saved["done"] == {} and saved["plan"] is None
    tomorrow = conversation_on(store)
    welcome = speech_of(tomorrow.launch())
    assert "You stopped at rep 3 of set 1" in welcome and "pick up where you left off" in welcome
    resumed = speech_of(tomorrow.intent("AMAZON.ResumeIntent"))
    assert "Set 1 of 2" in resumed and "From rep 3." in resumed and "Rep 2." not in resumed


def test_a_session_that_times_out_after_the_reply_finished_counts_the_set(store):
    talk = conversation_on(store)
    talk.launch()
    talk.intent("StartExerciseIntent", exercise="calf_raises")
    talk.wait(16)  # the reprompt's wait: Alexa ends the session after the reply
    talk.end("EXCEEDED_MAX_REPROMPTS")
    saved = stored(store)["position"]
    assert saved["done"] == {"calf_raises": [0]} and saved["unit"] == 1 and saved["rep"] == 1


def test_moving_up_a_step_is_remembered_across_sessions(store):
    """ "Too easy", then "yes": the harder step is coached at once and stored with the
    user's progress, so the next session starts on it; a finished streak asks at the end
    and "yes" stores the next step again."""
    talk = conversation_on(store)
    talk.launch()
    talk.intent("StartExerciseIntent", exercise="calf_raises")
    offer = speech_of(talk.intent("HarderIntent"))
    assert "three sets of fifteen" in offer and offer.endswith("?")
    moved = speech_of(talk.intent("AMAZON.YesIntent"))
    assert "three sets of fifteen from now on" in moved and "15 reps" in moved
    talk.intent("AMAZON.StopIntent")
    assert stored(store)["levels"] == {"calf_raises": 1}
    again = conversation_on(store)
    again.launch()
    started = speech_of(again.intent("StartExerciseIntent", exercise="calf_raises"))
    assert "harder version: three sets of fifteen" in started and "Set 1 of 3, 15 reps" in started
    assert coach_state(again)["levels"] == {"calf_raises": 1}
    # A streak: the exercise finished for the third time asks about the step after.
    for _ in range(2):
        finish(again)
        again.launch()
        again.intent("StartExerciseIntent", exercise="calf_raises")
    said = ""
    while "calf raises done" not in said and "all your calf raises" not in said:
        said = speech_of(again.intent("AMAZON.NextIntent"))
    assert said.endswith("Would you like to move up to it next time?")
    answer = speech_of(again.intent("AMAZON.YesIntent"))
    assert "next time, your calf raises will be up on both feet, down on one" in answer
    assert stored(store)["levels"] == {"calf_raises": 2}


def test_no_to_the_next_step_keeps_the_level_and_a_question_cancels_a_switch_offer(store):
    talk = conversation_on(store)
    talk.launch()
    talk.intent("StartExerciseIntent", exercise="side_steps")
    talk.intent("HarderIntent")
    talk.intent("WhyAnklesPopIntent")  # answered, then "shall we carry on?"
    carried_on = speech_of(talk.intent("AMAZON.YesIntent"))
    assert "from now on" not in carried_on, "yes to carrying on is not yes to a switch"
    talk.intent("AMAZON.StopIntent")
    assert "levels" not in stored(store)


def test_a_reset_or_delete_during_a_paused_exercise_is_not_written_back(store):
    """The live coach state would otherwise store its place and tempo again the same turn."""
    for action in ("ResetProgressIntent", "DeleteDataIntent"):
        talk = conversation_on(store)
        talk.launch()
        talk.intent("StartExerciseIntent", exercise="calf_raises")
        talk.intent("SlowerIntent")
        talk.intent("AMAZON.PauseIntent")
        assert stored(store)["position"]["paused"]
        talk.intent(action)
        talk.intent("AMAZON.YesIntent")
        assert not coach_state(talk), "the exercise ended with the reset"
        talk.intent("AMAZON.ResumeIntent")
        talk.intent("AMAZON.StopIntent")
        record = stored(store) or {}
        assert "position" not in record and "tempo" not in record, (action, record)


def test_a_place_kept_after_pain_in_the_first_set_is_found_by_resume_another_day(store):
    """The pain stop says the place is kept and to say resume on a day it feels fine; with
    no set finished yet, that place must still be found, and resume checks first."""
    talk = conversation_on(store)
    talk.launch()
    talk.intent("StartWorkoutIntent")
    talk.interrupt(20)
    said = speech_of(talk.intent("SymptomIntent", symptom="pain"))
    assert "kept your place" in said
    talk.intent("AMAZON.StopIntent")
    later = conversation_on(store)
    later.launch()
    check = speech_of(later.intent("AMAZON.ResumeIntent"))
    assert "doesn't hurt" in check and "no exercise going" not in check
    assert coach_state(later)["workout"] and coach_state(later)["paused"]
    going = later.intent("AMAZON.ResumeIntent")
    assert "<break" in going["response"]["outputSpeech"]["ssml"]
    assert not coach_state(later)["paused"]
