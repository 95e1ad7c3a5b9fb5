"""Request handlers, in the order the dispatcher tries them."""

from skill.alexa.handlers.builtins import (
    ExceptionEncounteredHandler,
    ExitHandler,
    FallbackHandler,
    HelpHandler,
    OtherRequestHandler,
    SessionEndedHandler,
    UnknownIntentHandler,
)
from skill.alexa.handlers.conversation import (
    ChooseHandler,
    MoreHandler,
    NoHandler,
    RepeatHandler,
    YesHandler,
)
from skill.alexa.handlers.errors import CatchAllExceptionHandler
from skill.alexa.handlers.exercise import (
    AdviceHandler,
    CoachCommandHandler,
    CoachOfferHandler,
    NoExerciseHandler,
    ProgressionOfferHandler,
    QuestionDuringExerciseHandler,
    StartExerciseHandler,
    StartWorkoutHandler,
)
from skill.alexa.handlers.launch import LaunchHandler
from skill.alexa.handlers.lost_place import LostPlaceHandler
from skill.alexa.handlers.progress import AskToConfirmHandler, ConfirmationHandler, ProgressHandler
from skill.alexa.handlers.resume import ResumeSavedHandler
from skill.alexa.handlers.safety import (
    BuriedSymptomHandler,
    DiagnosisHandler,
    HurtCheckHandler,
    SymptomHandler,
)
from skill.alexa.handlers.topics import TopicHandler

REQUEST_HANDLERS = (
    SymptomHandler(),
    BuriedSymptomHandler(),
    HurtCheckHandler(),
    DiagnosisHandler(),
    LostPlaceHandler(),
    ConfirmationHandler(),
    ResumeSavedHandler(),
    LaunchHandler(),
    StartExerciseHandler(),
    StartWorkoutHandler(),
    CoachOfferHandler(),
    ProgressionOfferHandler(),
    CoachCommandHandler(),
    QuestionDuringExerciseHandler(),
    AdviceHandler(),
    ProgressHandler(),
    AskToConfirmHandler(),
    TopicHandler(),
    YesHandler(),
    NoHandler(),
    MoreHandler(),
    ChooseHandler(),
    RepeatHandler(),
    HelpHandler(),
    ExitHandler(),
    FallbackHandler(),
    NoExerciseHandler(),
    SessionEndedHandler(),
    ExceptionEncounteredHandler(),
    UnknownIntentHandler(),  # then the catch-alls, last
    OtherRequestHandler(),
)

EXCEPTION_HANDLERS = (CatchAllExceptionHandler(),)
