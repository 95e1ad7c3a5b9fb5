"""Remembered progress: the plain record, and reset/delete as the user asks for them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from skill.chat.alexa_rules import response_problems
from skill.chat.simulator import TEST_USER_ID, session_open, speech_of
from skill.domain.progress import Progress
from skill.storage.save import save_ops
from tests.storage_support import envelope_for, stored
from tests.test_storage_skill import DISCLAIMER, conversation_on

DAY = date(2026, 11, 25)


def test_sessions_are_counted_per_exercise_with_recent_dates():
    progress = Progress({})
    progress.record_session("calf_raises", DAY)
    progress.record_session("calf_raises", DAY)
    progress.record_session("single_leg_balance", DAY)
    assert progress.completed == {"calf_raises": 2, "single_leg_balance": 1}
    assert progress.last_exercise() == "single_leg_balance"
    assert progress.sessions_this_week(DAY) == 3


def test_the_streak_counts_days_in_a_row_and_breaks_after_a_missed_day():
    progress = Progress({})
    for offset in (0, 1, 2):
        progress.record_session("towel_scrunches", date(2026, 11, 20 + offset))
    progress.record_session("towel_scrunches", date(2026, 11, 22))  # same day twice
    assert progress.streak_days(date(2026, 11, 22)) == 3
    assert progress.streak_days(date(2026, 11, 23)) == 3, "today not done yet is no break"
    assert progress.streak_days(date(2026, 11, 24)) == 0
    progress.record_session("towel_scrunches", date(2026, 11, 25))
    assert progress.streak_days(date(2026, 11, 25)) == 1


def test_only_the_last_week_counts_as_this_week():
    progress = Progress({})
    progress.record_session("calf_raises", date(2026, 11, 10))
    progress.record_session("calf_raises", date(2026, 11, 19))
    assert progress.sessions_this_week(DAY) == 1


def test_reset_keeps_only_the_disclaimer_flag():
    progress = Progress({"disclaimer_heard": True, "tempo": 0.8, "position": {"v": 1}})
    progress.record_session("calf_raises", DAY)
    progress.reset()
    assert {k: v for k, v in progress.data.items() if k != "applied"} == {
        "schema": 1,
        "disclaimer_heard": True,
    }


def test_delete_asks_first_then_removes_the_row(store):
    talk = conversation_on(store)
    talk.launch()
    assert stored(store) is not None
    ask = talk.intent("DeleteDataIntent")
    assert speech_of(ask).endswith("?") and session_open(ask)
    assert stored(store) is not None, "nothing happens before yes"
    done = talk.intent("AMAZON.YesIntent")
    assert "deleted" in speech_of(done) and not session_open(done)
    assert response_problems(done) == []
    assert stored(store) is None


def test_reset_keeps_the_disclaimer_flag_in_storage(store):
    talk = conversation_on(store)
    talk.launch()
    talk.intent("ResetProgressIntent")
    assert "reset" in speech_of(talk.intent("AMAZON.YesIntent"))
    assert stored(store)["disclaimer_heard"] is True
    talk.intent("AMAZON.StopIntent")
    assert DISCLAIMER not in speech_of(talk.launch())


def test_no_keeps_everything(store):
    talk = conversation_on(store)
    talk.launch()
    before = stored(store)
    talk.intent("DeleteDataIntent")
    kept = talk.intent("AMAZON.NoIntent")
    assert "left everything" in speech_of(kept) and session_open(kept)
    assert stored(store) == before


def test_a_pending_confirmation_lasts_one_turn_only(store):
    talk = conversation_on(store)
    talk.launch()
    talk.intent("DeleteDataIntent")
    talk.intent("WhyAnklesPopIntent")  # the user moved on
    talk.intent("AMAZON.YesIntent")  # yes to the topic offer, not to deleting
    assert stored(store) is not None


def test_progress_summary_after_a_recorded_session(store):
    talk = conversation_on(store)
    talk.launch()
    progress = Progress({})
    progress.record_session("calf_raises", datetime.now(UTC).date())
    save_ops(store, envelope_for(TEST_USER_ID), progress.ops)
    summary = talk.intent("ProgressIntent")
    speech = speech_of(summary)
    assert "one session" in speech and "calf raises" in speech
    assert response_problems(summary) == [] and session_open(summary)
