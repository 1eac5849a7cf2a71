"""A small declarative description of a YAML format.

Over 400 lines, but one job: the spec kinds (Text, Integer, Duration, ListOf, Obj...),
each a small class whose check and schema sit side by side, as they must agree.

One description does two jobs: it checks a located node tree (reporting every
problem with its line and column, and a hint) while building frozen model
objects, and it emits the equivalent JSON Schema for editors. Keeping both in
one place means the schema can never disagree with the loader.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from yogaback.durations import DURATION_PATTERN, parse_duration
from yogaback.errors import Mark, Problem
from yogaback.routine.nodes import INVALID, MAX_PROBLEMS, Node, Scalar, Seq, add_problem
from yogaback.routine.nodes import Map as MapNode


class Invalid(Exception):
    """Raised by a spec when a value cannot be used; already recorded as a problem.

    ``partial`` holds what did check out (list items, mapping entries, object
    fields), so that checks of meaning can still look at the valid parts.
    """

    def __init__(self, message: str, partial: Any = None) -> None:
        super().__init__(message)
        self.partial = partial


@dataclass
class Ctx:
    where: str
    problems: list[Problem] = field(default_factory=list)
    seen: set[Problem] = field(default_factory=set)
    done: dict[tuple[str, int], Any] = field(default_factory=dict)
    """Results (or Invalid) of named specs by node, for nodes repeated through aliases."""

    def report(self, mark: Mark, message: str, hint: str | None = None) -> Invalid:
        problem = Problem(self.where, mark.line, mark.column, message, hint)
        # A node reached through several aliases is checked once per alias: report it once.
        if len(self.problems) <= MAX_PROBLEMS and problem not in self.seen:
            self.seen.add(problem)
            add_problem(self.problems, problem)
        return Invalid(message)


def describe(node: Node) -> str:
    if isinstance(node, MapNode):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    value = node.value
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    return f"text ({value!r})" if len(str(value)) < 40 else "text"


class Spec:
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def with_doc(self, base: dict[str, Any]) -> dict[str, Any]:
        return {"description": self.description, **base} if self.description else base


def scalar_of(node: Node, ctx: Ctx, expected: str, hint: str | None = None) -> Scalar:
    """The scalar at ``node``; reports (and raises Invalid) for a mapping or a list."""
    if not isinstance(node, Scalar):
        raise ctx.report(node.mark, f"expected {expected}, got {describe(node)}", hint)
    if node.tag == INVALID:
        raise Invalid("already reported while reading")
    return node


@dataclass
class Text(Spec):
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> str:
        scalar = scalar_of(node, ctx, "text")
        if not isinstance(scalar.value, str):
            raise ctx.report(
                node.mark, f"expected text, got {describe(node)}", "put the text in quotes"
            )
        if not scalar.value.strip():
            raise ctx.report(node.mark, "text is empty", "write something, or remove the key")
        return scalar.value.strip()

    def schema(self) -> dict[str, Any]:
        return self.with_doc({"type": "string", "minLength": 1})


@dataclass
class Integer(Spec):
    minimum: int = 0
    maximum: int = 10_000
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> int:
        scalar = scalar_of(node, ctx, "a whole number")
        value = scalar.value
        if isinstance(value, bool) or not isinstance(value, int):
            raise ctx.report(node.mark, f"expected a whole number, got {describe(node)}")
        if not self.minimum <= value <= self.maximum:
            raise ctx.report(
                node.mark, f"{value} is out of range; use {self.minimum} to {self.maximum}"
            )
        return value

    def schema(self) -> dict[str, Any]:
        return self.with_doc({"type": "integer", "minimum": self.minimum, "maximum": self.maximum})


@dataclass
class Duration(Spec):
    """Seconds, or text such as ``45s``, ``2m``, ``1m30s``. Must be above zero unless allow_zero."""

    allow_zero: bool = False
    maximum: float = 6 * 3600
    description: str = ""
    what: str = "a length"
    zero_hint: str = "remove the step, or give it a length such as 30s"

    def check(self, node: Node, ctx: Ctx) -> float:
        scalar = scalar_of(node, ctx, "a duration such as 45s, 2m or 1m30s")
        try:
            seconds = parse_duration(scalar.value)
        except ValueError as exc:
            raise ctx.report(node.mark, str(exc)) from None
        if math.isnan(seconds):
            raise ctx.report(node.mark, "expected a duration such as 45s, 2m or 1m30s, got .nan")
        if seconds < 0 or (seconds == 0 and not self.allow_zero):
            raise ctx.report(
                node.mark,
                f"{self.what} must be above zero, got {scalar.value!r}",
                self.zero_hint,
            )
        if seconds > self.maximum:
            raise ctx.report(
                node.mark,
                f"{scalar.value!r} is too long; the most is {self.maximum / 3600:g} hours",
            )
        return seconds

    def schema(self) -> dict[str, Any]:
        number: dict[str, Any] = {"type": "number", "maximum": self.maximum}
        number["minimum" if self.allow_zero else "exclusiveMinimum"] = 0
        text: dict[str, Any] = {"type": "string", "pattern": DURATION_PATTERN}
        if not self.allow_zero:  # digits that are all zero ('0s', '0m 0.0s') are no length
            text["not"] = {"pattern": r"^[\s0.hms]*$"}
        return self.with_doc({"anyOf": [number, text]})


@dataclass
class Flag(Spec):
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> bool:
        scalar = scalar_of(node, ctx, "true or false")
        if not isinstance(scalar.value, bool):
            raise ctx.report(node.mark, f"expected true or false, got {describe(node)}")
        return scalar.value

    def schema(self) -> dict[str, Any]:
        return self.with_doc({"type": "boolean"})


@dataclass
class Choice(Spec):
    values: tuple[str, ...]
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> str:
        choices = ", ".join(self.values)
        scalar = scalar_of(node, ctx, f"one of: {choices}")
        value = scalar.value
        if value not in self.values:
            close = difflib.get_close_matches(str(value), self.values, n=1)
            hint = f"did you mean '{close[0]}'?" if close else None
            raise ctx.report(node.mark, f"{value!r} is not one of: {choices}", hint)
        return str(value)

    def schema(self) -> dict[str, Any]:
        return self.with_doc({"enum": list(self.values)})


@dataclass
class Const(Spec):
    value: int
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> int:
        scalar = scalar_of(node, ctx, str(self.value))
        if scalar.value != self.value or isinstance(scalar.value, bool):
            raise ctx.report(
                node.mark,
                f"unsupported format version {scalar.value!r}; "
                f"this yogaback reads version {self.value}",
                "upgrade yogaback, or write the file for this version",
            )
        return self.value

    def schema(self) -> dict[str, Any]:
        return self.with_doc({"const": self.value})


@dataclass
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    max_items: int = 100_000
    unique: bool = False
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> tuple[Any, ...]:
        if not isinstance(node, Seq):
            raise ctx.report(
                node.mark,
                f"expected a list, got {describe(node)}",
                "write each item on its own line starting with '- '",
            )
        if len(node.items) < self.min_items:
            raise ctx.report(node.mark, f"needs at least {self.min_items} item(s)")
        if len(node.items) > self.max_items:
            raise ctx.report(
                node.mark, f"too many items ({len(node.items):,}; the limit is {self.max_items:,})"
            )
        out: list[Any] = []
        salvaged: list[Any] = []  # in order: good items, and the partial data of bad ones
        failed = False
        for child in node.items:
            try:
                out.append(self.item.check(child, ctx))
                salvaged.append(out[-1])
            except Invalid as exc:
                failed = True
                if exc.partial is not None:
                    salvaged.append(exc.partial)
        if failed:
            raise Invalid("list item", partial=tuple(salvaged))
        if self.unique and len(set(out)) != len(out):
            again = next(i for i, value in enumerate(out) if value in out[:i])
            raise ctx.report(
                node.items[again].mark, f"{out[again]!r} is repeated", "give each item once"
            )
        return tuple(out)

    def schema(self) -> dict[str, Any]:
        s: dict[str, Any] = {"type": "array", "items": self.item.schema()}
        if self.min_items:
            s["minItems"] = self.min_items
        s["maxItems"] = self.max_items
        if self.unique:
            s["uniqueItems"] = True
        return self.with_doc(s)


@dataclass
class Either(Spec):
    """A value that may be written as a single word or as a list."""

    scalar: Spec
    sequence: Spec
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> Any:
        return (self.sequence if isinstance(node, Seq) else self.scalar).check(node, ctx)

    def schema(self) -> dict[str, Any]:
        return self.with_doc({"anyOf": [self.scalar.schema(), self.sequence.schema()]})


@dataclass
class Ref(Spec):
    """A named object spec, emitted once under ``$defs``; resolved lazily so specs may recurse."""

    name: str
    registry: dict[str, Obj]
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> Any:
        # An alias repeats the very same node: check it once, however often it appears.
        key = (self.name, id(node))
        if key in ctx.done:
            done = ctx.done[key]
            if isinstance(done, Invalid):
                raise Invalid(str(done), partial=done.partial)
            return done
        try:
            ctx.done[key] = self.registry[self.name].check(node, ctx)
        except Invalid as exc:
            ctx.done[key] = exc
            raise
        return ctx.done[key]

    def schema(self) -> dict[str, Any]:
        return self.with_doc({"$ref": f"#/$defs/{self.name}"})


@dataclass
class MapOf(Spec):
    """A mapping from identifiers (e.g. pose ids) to values."""

    value: Spec
    key_pattern: str = r"^[a-z0-9][a-z0-9_-]*$"
    key_hint: str = "use lower-case letters, digits, '-' and '_', e.g. thread-the-needle"
    max_items: int = 10_000
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> dict[str, Any]:
        import re

        if not isinstance(node, MapNode):
            raise ctx.report(
                node.mark, f"expected a mapping of names to entries, got {describe(node)}"
            )
        if len(node.items) > self.max_items:
            raise ctx.report(node.mark, f"too many entries (limit {self.max_items:,})")
        out: dict[str, Any] = {}
        failed = False
        for key, child in node.items:
            name = str(key.value)
            if not re.match(self.key_pattern, name):
                ctx.report(key.mark, f"{name!r} is not a valid name", self.key_hint)
                failed = True
                continue
            try:
                out[name] = self.value.check(child, ctx)
            except Invalid:
                failed = True
        if failed:
            raise Invalid("mapping entry", partial=out)
        return out

    def schema(self) -> dict[str, Any]:
        return self.with_doc(
            {
                "type": "object",
                "propertyNames": {"pattern": self.key_pattern},
                "additionalProperties": self.value.schema(),
                "maxProperties": self.max_items,
            }
        )


@dataclass
class F:
    """A field of an object: its spec, whether it is required, and its default."""

    spec: Spec
    required: bool = False
    default: Any = None


@dataclass
class Obj(Spec):
    """A mapping with known keys, built into ``build(**values, locs=...)``.

    ``exactly_one`` lists groups of keys of which exactly one must be present,
    ``at_most_one`` groups of which at most one may be.
    """

    title: str
    build: Callable[..., Any]
    fields: dict[str, F]
    exactly_one: tuple[tuple[str, ...], ...] = ()
    at_most_one: tuple[tuple[str, ...], ...] = ()
    description: str = ""
    extra_schema: dict[str, Any] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    """Words people may write for a key, e.g. 'hold' for 'duration', used in hints."""

    def check(self, node: Node, ctx: Ctx) -> Any:
        if not isinstance(node, MapNode):
            raise ctx.report(
                node.mark,
                f"expected a mapping ({self.title}), got {describe(node)}",
                "write 'key: value' lines",
            )
        values: dict[str, Any] = {}
        partial: dict[str, Any] = {}
        locs: dict[str, Mark] = {"": node.mark}
        failed = False
        for key, child in node.items:
            name = str(key.value)
            f = self.fields.get(name)
            if f is None:
                ctx.report(key.mark, f"unknown key '{name}' in {self.title}", self._hint(name))
                failed = True
                continue
            locs[name] = child.mark
            try:
                values[name] = f.spec.check(child, ctx)
            except Invalid as exc:
                if exc.partial is not None:
                    partial[name] = exc.partial
                failed = True
        present = set(locs) - {""}
        for group in self.exactly_one:
            found = [k for k in group if k in present]
            if not found:
                ctx.report(node.mark, f"{self.title} needs one of: {', '.join(group)}")
                failed = True
            elif len(found) > 1:
                ctx.report(
                    locs[found[1]],
                    f"give only one of {', '.join(found)}",
                    f"remove '{found[1]}' or '{found[0]}'",
                )
                failed = True
        for group in self.at_most_one:
            found = [k for k in group if k in present]
            if len(found) > 1:
                ctx.report(locs[found[1]], f"give only one of {', '.join(found)}")
                failed = True
        for name, f in self.fields.items():
            if f.required and name not in present:
                ctx.report(
                    node.mark,
                    f"{self.title} is missing required key '{name}'",
                    f"add a line '{name}: ...'",
                )
                failed = True
        if failed:
            raise Invalid(self.title, partial={**partial, **values, "locs": locs})
        for name, f in self.fields.items():
            if name not in values:
                values[name] = f.default() if callable(f.default) else f.default
        return self.build(**values, locs=locs)

    def _hint(self, name: str) -> str:
        return _suggest(name, tuple(self.fields), tuple(self.synonyms.items()))

    def schema(self) -> dict[str, Any]:
        s: dict[str, Any] = {
            "title": self.title,
            "type": "object",
            "additionalProperties": False,
            "properties": {name: f.spec.schema() for name, f in self.fields.items()},
        }
        required = [name for name, f in self.fields.items() if f.required]
        if required:
            s["required"] = required
        constraints = [
            {"oneOf": [{"required": [k]} for k in group]} for group in self.exactly_one
        ] + [
            {"not": {"anyOf": [{"required": [a, b]} for a in group for b in group if a < b]}}
            for group in self.at_most_one
        ]
        if len(constraints) == 1:
            s.update(constraints[0])
        elif constraints:
            s["allOf"] = constraints
        s.update(self.extra_schema)
        return self.with_doc(s)


@functools.lru_cache(maxsize=1024)
def _suggest(name: str, known: tuple[str, ...], synonyms: tuple[tuple[str, str], ...]) -> str:
    """Hint for an unknown key: the likeliest meant key, or all of them."""
    meant = dict(synonyms).get(name.lower().replace("-", "_"))
    close = [meant] if meant else difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known keys: " + ", ".join(known)


def json_schema(root: Obj, registry: Mapping[str, Obj], schema_id: str) -> dict[str, Any]:
    body = root.schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id,
        **body,
        "$defs": {name: spec.schema() for name, spec in registry.items()},
    }


@dataclass
class Tagged(Spec):
    """One of two object specs, chosen by whether a marker key is present."""

    marker: str
    when_present: Spec
    otherwise: Spec
    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> Any:
        if isinstance(node, MapNode) and self.marker in node.keys:
            return self.when_present.check(node, ctx)
        return self.otherwise.check(node, ctx)

    def schema(self) -> dict[str, Any]:
        return self.with_doc(
            {
                "if": {"type": "object", "required": [self.marker]},
                "then": self.when_present.schema(),
                "else": self.otherwise.schema(),
            }
        )
