"""`python -m skill`: run the local web service, or try the skill without a device.

run    the local web service (what `make run` starts)
chat   a typed conversation (what `make chat` starts)
say    speak the replies to some utterances, or a dialog file, into a WAV file
storage replay   store progress kept in the outbox (or in ERROR log lines) during an outage
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from skill.chat.simulator import model_locales
from skill.config import Settings


def run(settings: Settings) -> None:
    from skill.web.app import create_app

    app = create_app(settings=settings)
    print(f"Ankle Coach listening on http://{settings.host}:{settings.port}/", flush=True)
    print("  POST / takes an Alexa request envelope; GET /health answers.", flush=True)
    app.run(host=settings.host, port=settings.port)


def _session(args: argparse.Namespace):
    from skill.chat.session import ChatSession, http_sender, in_process_sender

    send = http_sender(args.url) if args.url else in_process_sender()
    return ChatSession(send, locale=args.locale)


def chat(args: argparse.Namespace) -> int:
    from skill.chat import console

    return console.main(_session(args), show_json=args.json, launch=not args.no_launch)


def say(args: argparse.Namespace) -> int:
    from skill.chat import preview

    return preview.main(
        _session(args),
        utterances=args.utterances,
        dialog=args.dialog,
        wav=args.wav,
        voice=args.voice,
    )


def _add_talk_options(parser: argparse.ArgumentParser) -> None:
    locales = model_locales()
    parser.add_argument(
        "--url", help="send the requests to a running service (e.g. http://127.0.0.1:5000/)"
    )
    parser.add_argument(
        "--locale", default="en-US", choices=locales, help="which interaction model to use"
    )


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="python -m skill",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = main_parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the local web service")
    chat_parser = commands.add_parser(
        "chat", help="talk to the skill by typing (lines from a pipe work too)"
    )
    _add_talk_options(chat_parser)
    chat_parser.add_argument(
        "--json", action="store_true", help="show the raw request and response"
    )
    chat_parser.add_argument(
        "--no-launch", action="store_true", help="start without opening the skill"
    )
    say_parser = commands.add_parser(
        "say", help="render the skill's spoken replies to a WAV file with espeak-ng"
    )
    say_parser.add_argument(
        "utterances", nargs="*", help='what the user says, e.g. "open ankle coach"'
    )
    say_parser.add_argument("--dialog", help="take the utterances from a dialog YAML file")
    say_parser.add_argument("--wav", default="preview.wav", help="where to write the audio")
    say_parser.add_argument("--voice", help="espeak-ng voice (default: from the locale)")
    _add_talk_options(say_parser)
    storage_parser = commands.add_parser("storage", help="maintenance of stored progress")
    storage_commands = storage_parser.add_subparsers(dest="storage_command", required=True)
    replay_parser = storage_commands.add_parser(
        "replay",
        help="store the operations kept in the outbox during an outage (safe to run twice)",
    )
    replay_parser.add_argument(
        "files",
        nargs="*",
        help="outbox files or log files with 'outbox-entry' lines (default: the outbox)",
    )
    return main_parser


def storage_replay(args: argparse.Namespace, settings: Settings) -> int:
    """Replay into the storage ANKLE_COACH_STORAGE names; prints what happened."""
    from pathlib import Path

    from skill.storage import adapter_from_settings, outbox_for
    from skill.storage.outbox import replay

    adapter = adapter_from_settings(settings)
    if adapter is None:
        print("storage replay: ANKLE_COACH_STORAGE is none, nothing to replay into")
        return 2
    outbox = outbox_for(adapter, settings)
    sources = [Path(name) for name in args.files]
    if not sources:
        if outbox.path is None:
            print("storage replay: no outbox file here; give the log files to read")
            return 2
        sources = [outbox.path]
    result = replay(adapter, sources, outbox)
    print(
        f"replayed {result.replayed} entr{'y' if result.replayed == 1 else 'ies'}, "
        f"{result.failed} failed (kept in the outbox), {result.malformed} malformed skipped"
    )
    return 1 if result.failed else 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "run":
        settings = Settings.from_env()
        logging.basicConfig(
            level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )
        run(settings)
        return 0
    # The trying-out tools print replies; the skill's per-request logs would bury them.
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "WARNING").upper(),
        format="%(levelname)s %(name)s %(message)s",
    )
    if args.command == "storage":
        return storage_replay(args, Settings.from_env())
    if args.command == "say" and not (args.utterances or args.dialog):
        print("say: give what the user says, or --dialog FILE", file=sys.stderr)
        return 2
    return chat(args) if args.command == "chat" else say(args)


if __name__ == "__main__":
    sys.exit(main())
