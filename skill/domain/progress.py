"""What the skill remembers about a user between sessions, as a plain dict.

Only what the features need: the disclaimer flag, where they stopped, their tempo,
sessions completed per exercise, the last few session dates and the day streak.
No health information. Plain domain code: no ASK SDK import.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

SCHEMA = 1
RECENT_LIMIT = 14


class Progress:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        data.setdefault("schema", SCHEMA)

    def disclaimer_due(self) -> bool:
        """True the first time ever (per user where storage works); then marked heard."""
        if self.data.get("disclaimer_heard"):
            return False
        self.data["disclaimer_heard"] = True
        return True

    @property
    def position(self) -> dict[str, Any] | None:
        return self.data.get("position")

    @position.setter
    def position(self, state: dict[str, Any] | None) -> None:
        if state:
            self.data["position"] = state
        else:
            self.data.pop("position", None)

    @property
    def tempo(self) -> float | None:
        return self.data.get("tempo")

    @tempo.setter
    def tempo(self, factor: float | None) -> None:
        if factor is None or factor == 1.0:
            self.data.pop("tempo", None)
        else:
            self.data["tempo"] = factor

    @property
    def completed(self) -> dict[str, int]:
        return dict(self.data.get("completed", {}))

    @property
    def recent(self) -> list[dict[str, str]]:
        return list(self.data.get("recent", []))

    def record_session(self, exercise: str, today: date) -> None:
        """A finished exercise: count it, remember the date, extend the streak."""
        completed = self.data.setdefault("completed", {})
        completed[exercise] = completed.get(exercise, 0) + 1
        recent = [*self.recent, {"date": today.isoformat(), "exercise": exercise}]
        self.data["recent"] = recent[-RECENT_LIMIT:]
        streak = self.data.get("streak") or {}
        last = date.fromisoformat(streak["last"]) if streak.get("last") else None
        if last == today:
            return
        days = streak.get("days", 0) + 1 if last == today - timedelta(days=1) else 1
        self.data["streak"] = {"days": days, "last": today.isoformat()}

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
        heard = bool(self.data.get("disclaimer_heard"))
        self.data.clear()
        self.data.update({"schema": SCHEMA, "disclaimer_heard": heard})
