"""Request handlers, in the order the dispatcher tries them."""

from skill.handlers.builtins import ExitHandler, FallbackHandler, HelpHandler, SessionEndedHandler
from skill.handlers.conversation import NoHandler, RepeatHandler, YesHandler
from skill.handlers.errors import CatchAllExceptionHandler
from skill.handlers.exercise import (
    CoachCommandHandler,
    CoachOfferHandler,
    NoExerciseHandler,
    QuestionDuringExerciseHandler,
    StartExerciseHandler,
    StartWorkoutHandler,
)
from skill.handlers.launch import LaunchHandler
from skill.handlers.progress import AskToConfirmHandler, ConfirmationHandler, ProgressHandler
from skill.handlers.resume import ResumeSavedHandler
from skill.handlers.topics import TopicHandler

REQUEST_HANDLERS = (
    ConfirmationHandler(),
    ResumeSavedHandler(),
    LaunchHandler(),
    StartExerciseHandler(),
    StartWorkoutHandler(),
    CoachOfferHandler(),
    CoachCommandHandler(),
    QuestionDuringExerciseHandler(),
    ProgressHandler(),
    AskToConfirmHandler(),
    TopicHandler(),
    YesHandler(),
    NoHandler(),
    RepeatHandler(),
    HelpHandler(),
    ExitHandler(),
    FallbackHandler(),
    NoExerciseHandler(),
    SessionEndedHandler(),
)

EXCEPTION_HANDLERS = (CatchAllExceptionHandler(),)
