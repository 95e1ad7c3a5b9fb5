"""What the skill remembers about a user between sessions, as a plain dict.

Only what the features need: the disclaimer flag, where they stopped, their tempo, the
progression step they moved up to per exercise, sessions completed per exercise, the
last few session dates and the day streak.
No health information. Plain domain code: no ASK SDK import.

Every change is also written down as an operation (`progress_ops`): storage applies the
operations, not this turn's copy of the record, to the freshest stored record, so two
overlapping turns that both finish an exercise store a count of two, not one.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from skill.domain import progress_ops as ops
from skill.domain.progress_ops import RECENT_LIMIT, SCHEMA

__all__ = ["RECENT_LIMIT", "SCHEMA", "Progress"]


class Progress:
    """A view of the record for this turn; each change is applied here and kept as an op."""

    def __init__(self, data: dict[str, Any], pending: list[dict[str, Any]] | None = None) -> None:
        self.data = data
        self.ops = pending if pending is not None else []
        data.setdefault("schema", SCHEMA)

    def _do(self, op: dict[str, Any]) -> None:
        ops.apply_op(self.data, op)
        self.ops.append(op)

    def disclaimer_due(self) -> bool:
        """True the first time ever (per user where storage works); then marked heard."""
        if self.data.get("disclaimer_heard"):
            return False
        self._do(ops.set_field("disclaimer_heard", True))
        return True

    @property
    def position(self) -> dict[str, Any] | None:
        return self.data.get("position")

    @position.setter
    def position(self, state: dict[str, Any] | None) -> None:
        if (state or None) != self.data.get("position"):
            self._do(ops.set_field("position", state or None))

    @property
    def tempo(self) -> float | None:
        return self.data.get("tempo")

    @tempo.setter
    def tempo(self, factor: float | None) -> None:
        value = None if factor is None or factor == 1.0 else factor
        if value != self.data.get("tempo"):
            self._do(ops.set_field("tempo", value))

    @property
    def levels(self) -> dict[str, int]:
        """The progression step the user moved up to, per exercise (none: the beginner
        version)."""
        return dict(self.data.get("levels") or {})

    @levels.setter
    def levels(self, steps: dict[str, int]) -> None:
        value = {name: step for name, step in steps.items() if step > 0} or None
        if value != self.data.get("levels"):
            self._do(ops.set_field("levels", value))

    @property
    def completed(self) -> dict[str, int]:
        return dict(self.data.get("completed", {}))

    @property
    def recent(self) -> list[dict[str, str]]:
        return list(self.data.get("recent", []))

    def record_session(self, exercise: str, today: date) -> None:
        """A finished exercise: count it, remember the date, extend the streak."""
        self._do(ops.session(exercise, today))

    def streak_days(self, today: date) -> int:
        """The current run of days with a session; broken once a whole day is missed."""
        streak = self.data.get("streak") or {}
        if not streak.get("last"):
            return 0
        last = date.fromisoformat(streak["last"])
        return streak.get("days", 0) if today - last <= timedelta(days=1) else 0

    def sessions_this_week(self, today: date) -> int:
        week_start = today - timedelta(days=6)
        return sum(1 for entry in self.recent if date.fromisoformat(entry["date"]) >= week_start)

    def last_exercise(self) -> str | None:
        recent = self.recent
        return recent[-1]["exercise"] if recent else None

    def reset(self) -> None:
        """Forget progress but keep the disclaimer flag (they have heard it)."""
        self._do(ops.reset())
