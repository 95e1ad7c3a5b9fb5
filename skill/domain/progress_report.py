"""Spoken progress, and the confirm-then-act steps of reset and delete. Plain domain code."""

from __future__ import annotations

from datetime import date
from functools import cache

from skill.domain.coach import load_catalogue
from skill.domain.content import DEFAULT_LOCALE, Content, read_data, shipped_locale
from skill.domain.progress import Progress
from skill.domain.reply import Reply


def words(locale: object = DEFAULT_LOCALE) -> dict[str, str]:
    return _words(shipped_locale(locale))


@cache
def _words(locale: str) -> dict[str, str]:
    return read_data(locale, "progress.toml")


def exercise_name(content: Content, exercise: str) -> str:
    """The coach catalogue's name; an id it no longer knows is read out as words."""
    known = load_catalogue(content.locale).exercises.get(exercise)
    return known.name if known else exercise.replace("_", " ")


def summary(content: Content, progress: Progress, today: date) -> Reply:
    said = words(content.locale)
    speech: list[str] = []
    if not progress.recent:
        speech.append(said["none_yet"])
    else:
        count = progress.sessions_this_week(today)
        if count == 0:
            speech.append(said["week_none"])
        else:
            speech.append(said["week_one"] if count == 1 else said["week_many"].format(count=count))
        days = progress.streak_days(today)
        if days >= 2:
            speech.append(said["streak"].format(days=days))
        speech.append(
            said["last"].format(exercise=exercise_name(content, progress.last_exercise()))
        )
    screen_text = " ".join(speech)
    speech.append(said["question"])
    return Reply(
        speech=tuple(speech),
        reprompt=(said["reprompt"],),
        card_title=said["title"],
        card_text=screen_text,
    )


def confirm(content: Content, action: str) -> Reply:
    said = words(content.locale)
    return Reply(speech=(said[f"confirm_{action}"],), reprompt=(said["confirm_reprompt"],))


def done(content: Content, action: str) -> Reply:
    said = words(content.locale)
    if action == "delete":
        return Reply(speech=(said["delete_done"],))
    return Reply(speech=(said["reset_done"], said["question"]), reprompt=(said["reprompt"],))


def kept(content: Content) -> Reply:
    said = words(content.locale)
    return Reply(speech=(said["kept"], said["question"]), reprompt=(said["reprompt"],))


def storage_down(content: Content) -> Reply:
    said = words(content.locale)
    return Reply(speech=(said["storage_down"], said["question"]), reprompt=(said["reprompt"],))
