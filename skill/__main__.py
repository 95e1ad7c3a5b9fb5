"""`python -m skill run`: the local web service (what `make run` starts)."""

from __future__ import annotations

import argparse
import logging
import sys

from skill.config import Settings


def run(settings: Settings) -> None:
    from skill.web import create_app

    app = create_app(settings=settings)
    print(f"Ankle Coach listening on http://{settings.host}:{settings.port}/", flush=True)
    print("  POST / takes an Alexa request envelope; GET /health answers.", flush=True)
    app.run(host=settings.host, port=settings.port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m skill", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the local web service")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    if args.command == "run":
        run(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
