"""The question-and-answer half of the conversation, as plain functions.

Each function returns a Reply; none touches the ASK SDK. `key` varies the wording
between turns (see speech.pick) while keeping a given request's answer stable.
"""

from __future__ import annotations

from skill.domain.coach import offer_for_topic
from skill.domain.content import Content, Topic
from skill.domain.reply import Reply
from skill.domain.speech import Segment, pick

RESUME_OFFER = "resume_saved"
"""The offer id that makes "yes" resume an exercise saved in an earlier session."""


def _say(content: Content, name: str, key: str) -> str:
    return pick(content.prompt(name), f"{name}:{key}")


def launch(
    content: Content,
    *,
    disclaimer_due: bool,
    key: str,
    returning: bool = False,
    saved_place: str | None = None,
) -> Reply:
    """The welcome; a returning user with an unfinished exercise is offered to resume it."""
    if saved_place:
        return Reply(
            speech=(
                _say(content, "welcome_back", key),
                saved_place,
                _say(content, "resume_question", key),
            ),
            reprompt=(_say(content, "resume_reprompt", key),),
            offer=RESUME_OFFER,
        )
    speech = [_say(content, "welcome_back" if returning else "welcome", key)]
    if disclaimer_due:
        speech.append(_say(content, "disclaimer", key))
    speech += [_say(content, "welcome_body", key), _say(content, "welcome_question", key)]
    return Reply(speech=tuple(speech), reprompt=(_say(content, "welcome_reprompt", key),))


def topic(
    content: Content, topic: Topic, *, one_shot: bool, disclaimer_due: bool, key: str
) -> Reply:
    """An answer; one-shot requests end with it, open sessions get the topic's offer."""
    speech = [topic.answer]
    if disclaimer_due and topic.id != "disclaimer":
        speech.append(_say(content, "disclaimer", key))
    card = dict(card_title=topic.title, card_text=topic.answer)
    if one_shot:
        speech.append(_say(content, "one_shot_close", key))
        return Reply(speech=tuple(speech), **card)
    speech.append(topic.offer)
    offer = topic.next or offer_for_topic(topic.id, content.locale)  # "yes" coaches an exercise
    return Reply(
        speech=tuple(speech), reprompt=(topic.offer,), offer=offer, choices=topic.items, **card
    )


def topic_then(
    topic: Topic, follow_up: tuple[Segment, ...], reprompt: tuple[Segment, ...]
) -> Reply:
    """An answer whose own offer gives way to another next step (carrying on an exercise)."""
    return Reply(
        speech=(topic.answer, *follow_up),
        reprompt=reprompt,
        card_title=topic.title,
        card_text=topic.answer,
        choices=topic.items,
    )


def help_reply(content: Content, key: str, *, offer: str | None = None) -> Reply:
    """Help that fits the moment, never more than three things: after an offer, the offer
    comes first (and stays open for "yes")."""
    if offer:
        return Reply(
            speech=(_say(content, "help_after_offer", key),),
            reprompt=(_say(content, "help_after_offer_reprompt", key),),
            offer=offer,
        )
    return Reply(
        speech=(_say(content, "help", key), _say(content, "help_question", key)),
        reprompt=(_say(content, "help_reprompt", key),),
    )


MAX_MISSES = 4
"""The fourth miss in a row ends the session politely rather than asking yet again."""


def fallback(content: Content, key: str, *, misses: int = 1, offer: str | None = None) -> Reply:
    """A miss: briefly re-ask (with an example that fits), then offer choices, then help,
    then end politely. An offer still pending stays open, so "yes" keeps working."""
    if misses >= MAX_MISSES:
        return Reply(speech=(_say(content, "fallback_goodbye", key),))
    level = min(misses, 3)
    example = "fallback_example_offer" if offer and level == 1 else f"fallback_{level}"
    return Reply(
        speech=(_say(content, "fallback", key), _say(content, example, key)),
        reprompt=(_say(content, f"fallback_reprompt_{level}", key),),
        offer=offer,
    )


def choose(content: Content, choices: list[str], ordinal: str | None) -> Topic | None:
    """ "The second one", "the last one": a topic from the last list, or None."""
    positions = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}
    if not choices or ordinal not in positions:
        return None
    index = positions[ordinal]
    if index >= len(choices):
        return None
    return content.topics.get(choices[index])


def goodbye(content: Content, key: str) -> Reply:
    return Reply(speech=(_say(content, "goodbye", key),))


def declined(content: Content, key: str) -> Reply:
    """The user said no to an offer: keep the door open without pushing."""
    return Reply(
        speech=(_say(content, "after_no", key), _say(content, "after_no_question", key)),
        reprompt=(_say(content, "anything_else_reprompt", key),),
    )


def anything_else(content: Content, lead: str, key: str) -> Reply:
    return Reply(
        speech=(_say(content, lead, key), _say(content, "welcome_question", key)),
        reprompt=(_say(content, "anything_else_reprompt", key),),
    )


def error(content: Content, key: str) -> Reply:
    return Reply(
        speech=(_say(content, "error", key), _say(content, "error_question", key)),
        reprompt=(_say(content, "error_reprompt", key),),
    )
