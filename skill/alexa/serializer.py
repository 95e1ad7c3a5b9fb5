"""The SDK's (de)serializer with its per-call lookups done once per model class.

`ask_sdk_core.serialize.DefaultSerializer` turns an envelope into model objects by
reading each class's `deserialized_types` and `attribute_map`, and back. It resolves
every type name with `__import__` and merges the class's attribute map again for each
object, and it parses every timestamp with `dateutil`: together about half the cost of a
hello-world turn (cProfile, docs/benchmarks.md). This serializer implements the same
`Serializer` interface (`ask_sdk_model.services.Serializer`, which the skill's
`serializer` attribute takes) with the same results, but keeps, per model class, the
list of (attribute, JSON key, type) it needs, and parses ISO 8601 timestamps with
`datetime.fromisoformat` (falling back to `dateutil` for anything else, as the SDK does).

The caches are keyed by the SDK model's own type names and classes, a fixed set: a
request's discriminator ("type": "IntentRequest") only selects among the classes the
model lists (`get_real_child_model`), so no request can grow them.
"""

from __future__ import annotations

import decimal
import json
import re
import sys
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_model.services import Serializer

Build = Callable[[Any], Any]
PRIMITIVES = {"int": int, "float": float, "str": str, "bool": bool, "long": int}
LIST = re.compile(r"list\[(.*)\]")
DICT = re.compile(r"dict\(([^,]*), (.*)\)")
PLAIN = (str, int, float, bool)
LEAVES = frozenset({str, int, float, bool, type(None)})
"""Exact types returned as they are without a call: most of a response (speech, the
session attributes' plain JSON) is these, visited once each."""


def _primitive(kind: type) -> Build:
    def build(payload: Any) -> Any:
        if type(payload) is kind:
            return payload
        try:
            return kind(payload)
        except TypeError:
            return payload
        except ValueError:
            raise SerializationException(
                f"Failed to parse {payload} into '{kind.__name__}' object"
            ) from None

    return build


def _timestamp(kind: type) -> Build:
    def build(payload: Any) -> Any:
        try:
            parsed = datetime.fromisoformat(payload)
        except (TypeError, ValueError):
            parsed = _dateutil(payload, kind)
        return parsed.date() if kind is date else parsed

    return build


def _dateutil(payload: Any, kind: type) -> datetime:
    """The SDK's own parser, for what `fromisoformat` does not read."""
    from dateutil.parser import parse

    try:
        return parse(payload)
    except (TypeError, ValueError, OverflowError):
        raise SerializationException(
            f"Failed to parse {payload} into '{kind.__name__}' object"
        ) from None


def _load_class(name: str) -> type:
    module, _, attribute = name.rpartition(".")
    try:
        if not module:
            return getattr(sys.modules["ask_sdk_core.serialize"], attribute)
        return getattr(__import__(module, fromlist=[attribute]), attribute)
    except Exception as error:
        raise SerializationException(
            f"Unable to resolve class {name} from installed modules: {error}"
        ) from None


def _field_map(cls: type) -> list[tuple[str, str]]:
    """(attribute, JSON key) for every serialized field of a model class."""
    attribute_map = getattr(cls, "attribute_map", {})
    return [(name, attribute_map.get(name, name)) for name in cls.deserialized_types]


class FastSerializer(Serializer):
    """Same results as `DefaultSerializer`, each model class's shape read once."""

    def __init__(self) -> None:
        self._builders: dict[Any, Build] = {}
        self._classes: dict[str, type] = {}
        self._fields: dict[type, tuple[list[tuple[str, str, Build]], frozenset[str], Any]] = {}
        self._fields_out: dict[type, list[tuple[str, str]]] = {}

    # --- deserialize: JSON -> model objects

    def deserialize(self, payload: str | None, obj_type: Any) -> Any:
        if payload is None:
            return None
        try:
            data = json.loads(payload)
        except Exception:
            raise SerializationException(f"Couldn't parse response body: {payload}") from None
        return self.build(data, obj_type)

    def build(self, data: Any, obj_type: Any) -> Any:
        """Model objects from already parsed JSON (the web service parses each body once)."""
        if data is None:
            return None
        return self._builder(obj_type)(data)

    def _builder(self, obj_type: Any) -> Build:
        builder = self._builders.get(obj_type)
        if builder is None:
            builder = self._builders[obj_type] = self._make_builder(obj_type)
        return builder

    def _make_builder(self, obj_type: Any) -> Build:
        if isinstance(obj_type, str):
            listed = LIST.fullmatch(obj_type)
            if listed:
                item = self._nested(listed.group(1).strip())
                return lambda payload: [item(value) for value in payload]
            mapped = DICT.fullmatch(obj_type)
            if mapped:
                value_of = self._nested(mapped.group(2))
                return lambda payload: {k: value_of(v) for k, v in payload.items()}
            if obj_type in PRIMITIVES:
                return _primitive(PRIMITIVES[obj_type])
            if obj_type == "object":
                return _same
            if obj_type in ("date", "datetime"):
                return _timestamp(date if obj_type == "date" else datetime)
            obj_type = _load_class(obj_type)
        if obj_type in (int, float, str, bool, bytes):
            return _primitive(obj_type)
        if obj_type is object:
            return _same
        if obj_type in (date, datetime):
            return _timestamp(obj_type)
        return self._model_builder(obj_type)

    def _nested(self, obj_type: str) -> Build:
        """A builder for an element type, made when first needed (models refer to each
        other, sometimes in cycles)."""
        return lambda payload: None if payload is None else self._builder(obj_type)(payload)

    def _model_builder(self, cls: type) -> Build:
        if issubclass(cls, Enum):
            return lambda payload: _wrapped(cls, payload)
        if not hasattr(cls, "deserialized_types"):
            return _same
        if hasattr(cls, "get_real_child_model"):
            return lambda payload: self._model(self._child(cls, payload), payload)
        return lambda payload: self._model(cls, payload)

    def _child(self, cls: Any, payload: Any) -> type:
        """The subclass the payload's discriminator names, among those the model lists."""
        try:
            name = cls.get_real_child_model(payload)
        except Exception as error:
            raise SerializationException(str(error)) from None
        if not name:
            raise SerializationException(
                f"Couldn't resolve object by discriminator type for {cls} class"
            )
        child = self._classes.get(name)
        if child is None:
            child = self._classes[name] = _load_class(name)
        return child

    def _model(self, cls: Any, payload: Any) -> Any:
        try:
            shape = self._fields.get(cls)
            if shape is None:
                fields = [
                    (attribute, key, self._nested(cls.deserialized_types[attribute]))
                    for attribute, key in _field_map(cls)
                ]
                known = frozenset(key for _, key, _ in fields)
                shape = self._fields[cls] = (fields, known, _defaults(cls))
            fields, known, defaults = shape
            if defaults is None:
                model = cls()
            else:  # what `cls()` would set, without its keyword-argument __init__ chain
                model = object.__new__(cls)
                model.__dict__.update(defaults)
            for attribute, key, build in fields:
                if key in payload:
                    setattr(model, attribute, build(payload[key]))
            for extra in payload:  # keys the model does not list are kept as they came
                if extra not in known:
                    setattr(model, extra, payload[extra])
            return model
        except SerializationException:
            raise
        except Exception as error:
            raise SerializationException(str(error)) from None

    # --- serialize: model objects -> JSON-ready values

    def serialize(self, obj: Any) -> Any:
        if obj is None or type(obj) in PLAIN:
            return obj
        if isinstance(obj, dict):
            serialize = self.serialize
            return {
                key: value if type(value) in LEAVES else serialize(value)
                for key, value in obj.items()
            }
        if isinstance(obj, list):
            serialize = self.serialize
            return [value if type(value) in LEAVES else serialize(value) for value in obj]
        if isinstance(obj, tuple):
            return tuple(self.serialize(value) for value in obj)
        if isinstance(obj, (*PLAIN, bytes)):
            return obj
        if isinstance(obj, date | datetime):
            return obj.isoformat()
        if isinstance(obj, Enum):
            return obj.value
        if isinstance(obj, decimal.Decimal):
            return int(obj) if obj % 1 == 0 else float(obj)
        cls = type(obj)
        fields = self._fields_out.get(cls)
        if fields is None:
            fields = self._fields_out[cls] = _field_map(cls)
        out = {}
        for attribute, key in fields:
            value = getattr(obj, attribute)
            if value is not None:
                out[key] = value if type(value) in LEAVES else self.serialize(value)
        return out


IMMUTABLE = (str, int, float, bool, Enum)


def _defaults(cls: type) -> dict[str, Any] | None:
    """The attributes `cls()` sets, to copy into each new instance instead of calling it,
    or None (call it) unless that is provably the same: a plain instance (no `__new__`,
    `__setattr__` or slots of its own) whose defaults are all None or immutable values,
    so no instance shares anything it could change. Every ask_sdk_model class is such
    (the serializer test checks all of them); the constructor runs a chain of keyword
    arguments and super() calls, about a fifth of building a request's model."""
    if cls.__new__ is not object.__new__ or cls.__setattr__ is not object.__setattr__:
        return None
    try:
        instance = cls()
        values = dict(instance.__dict__)
    except Exception:
        return None
    if any(value is not None and not isinstance(value, IMMUTABLE) for value in values.values()):
        return None
    return values


def _same(payload: Any) -> Any:
    return payload


def _wrapped(cls: Any, payload: Any) -> Any:
    try:
        return cls(payload)
    except Exception as error:
        raise SerializationException(str(error)) from None
