"""The exercises the coach leads, read from skill/data/<locale>/exercises.toml.

Plain data: doses, tempo, rest, sides and cues live in the TOML file so that a physical
therapist can adjust them without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache, cached_property

from skill.domain.content import DEFAULT_LOCALE, read_data, shipped_locale


@dataclass(frozen=True)
class Phase:
    """One part of a rep ("up", "hold", "down") and its length at the normal tempo."""

    call: str
    seconds: float


@dataclass(frozen=True)
class Unit:
    """What one response coaches: a set (of one side, for per-set sides) or a hold."""

    set: int
    side: int | None = None


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    topic: str
    kind: str  # "reps" or "hold"
    sets: int
    rest: float
    side_rest: float
    sides: tuple[str, ...]
    side_mode: str  # "none", "per_set" or "within_set"
    side_intro: str
    side_switch: tuple[str, ...]
    setup: str
    cues: tuple[str, ...]
    safety: str
    progressions: tuple[str, ...]
    frequency: str
    sources: tuple[str, ...]
    tempo: tuple[Phase, ...] = ()
    reps: int = 0
    hold: float = 0.0
    needs: tuple[str, ...] = ()
    lead_in: str = ""
    lead_in_seconds: float = 10.0
    switch_seconds: float = 3.0
    step_doses: tuple[tuple[tuple[str, float], ...], ...] = ()
    """Per progression step, the dose it changes (sets, reps, hold); () where it changes
    only the form."""
    level: int = 0
    """The progression step this is coached at: 0 the beginner version, n the n-th step."""

    def at_level(self, level: int) -> Exercise:
        """This exercise at a progression step: that step's dose (the others' are not
        carried over: a new form starts from the beginner dose). 0 or out of range: as is."""
        if not 0 < level <= len(self.progressions):
            return self
        dose = dict(self.step_doses[level - 1]) if level <= len(self.step_doses) else {}
        changes = {k: int(v) if k in ("sets", "reps") else float(v) for k, v in dose.items()}
        return replace(self, level=level, **changes)

    @property
    def sides_within(self) -> int:
        """How many times a set goes through its reps (both ways for within-set sides)."""
        return len(self.sides) if self.side_mode == "within_set" else 1

    @property
    def rep_seconds(self) -> float:
        """One rep at the normal tempo."""
        return sum(phase.seconds for phase in self.tempo)

    def units(self) -> tuple[Unit, ...]:
        """Every response's worth of work, in order (built once per exercise: a turn asks
        for them a dozen times and more)."""
        return self._units

    @cached_property
    def _units(self) -> tuple[Unit, ...]:
        # cached_property writes the instance's __dict__ directly, so it works on a frozen
        # dataclass; it is not a field, so equality and hashing are unchanged.
        if self.side_mode == "per_set":
            return tuple(
                Unit(number, side)
                for number in range(1, self.sets + 1)
                for side in range(len(self.sides))
            )
        return tuple(Unit(number) for number in range(1, self.sets + 1))

    def rest_before(self, index: int) -> float:
        """Seconds of rest before the unit at `index`: between sets, or between sides.

        Where each side is its own set (towel scrunches, single-leg balance) the sides take
        turns, so one foot rests while the other works: that is its rest (a set lasts at
        least `rest` seconds: tested), and no silent rest is added.
        """
        if index <= 0 or self.side_mode == "per_set":
            return 0.0
        units = self.units()
        if units[index].set != units[index - 1].set:
            return self.rest
        return self.side_rest


@dataclass(frozen=True)
class Catalogue:
    exercises: dict[str, Exercise]
    workout: tuple[str, ...]
    _steps: dict[tuple[str, int], Exercise] = field(default_factory=dict, compare=False, repr=False)
    """Each (exercise, progression step) asked for, made once: a turn asks a dozen times.
    Only names in the catalogue and steps it has (0 to the last) are kept, so it holds at
    most one entry per step of the data file, whoever asks."""

    def at(self, name: str, levels: dict[str, int] | None = None) -> Exercise:
        """An exercise at the user's progression step (`levels`, from the coach's state)."""
        level = levels.get(name, 0) if levels else 0
        found = self._steps.get((name, level))
        if found is not None:
            return found
        exercise = self.exercises[name]
        stepped = exercise.at_level(level)
        if type(level) is int and 0 <= level <= len(exercise.progressions):
            self._steps[(name, level)] = stepped
        return stepped

    def by_topic(self, topic_id: str) -> Exercise | None:
        return next((e for e in self.exercises.values() if e.topic == topic_id), None)


def _exercise(key: str, raw: dict) -> Exercise:
    fields = dict(raw)
    tempo = tuple(Phase(p["call"], float(p["seconds"])) for p in fields.pop("tempo", ()))
    for name in ("sides", "side_switch", "cues", "progressions", "sources", "needs"):
        fields[name] = tuple(fields.get(name, ()))
    fields["step_doses"] = tuple(
        tuple(sorted(dose.items())) for dose in fields.get("step_doses", ())
    )
    for name in ("rest", "side_rest", "hold", "lead_in_seconds", "switch_seconds"):
        if name in fields:
            fields[name] = float(fields[name])
    return Exercise(id=key, tempo=tempo, **fields)


def load_catalogue(locale: object = DEFAULT_LOCALE) -> Catalogue:
    """The exercises for a locale, falling back to en-US like the rest of the content."""
    return _load_catalogue(shipped_locale(locale))


@cache
def _load_catalogue(locale: str) -> Catalogue:
    raw = read_data(locale, "exercises.toml")
    exercises = {key: _exercise(key, value) for key, value in raw["exercises"].items()}
    return Catalogue(exercises=exercises, workout=tuple(raw["workout"]))
