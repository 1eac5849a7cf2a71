"""Read a YAML file into a small located node tree, safely and within limits.

One job, over 400 lines: the event-stream reader and the limits it enforces as it reads
belong together, since each limit is checked at the event that would break it.

We do not let PyYAML compose or construct the document. We read its event
stream (libyaml's, when present) and build the tree ourselves, because that
lets us stop *before* trouble: nesting deeper than any routine needs (libyaml
slows down quadratically on deep nesting), alias "billion laughs" documents
(we count the expanded size as we go), duplicate keys (which YAML loaders
silently accept) and files that are not text at all. Every node keeps its
1-based line and column so later checks can point at it.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from yogaback.errors import Mark, Problem, RoutineError
from yogaback.safefile import Unreadable, read_small

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_BYTES = 4 * 1024 * 1024
"""Largest routine file we read. A long hand-written routine is a few KiB."""
MAX_DEPTH = 32
"""Deepest nesting of mappings and lists. The routine format needs about 8."""
MAX_NODES = 1_000_000
"""Most nodes in a document once aliases are expanded."""
MAX_PROBLEMS = 500
"""Most problems reported for one file; a hostile file could otherwise make millions."""

_SCALAR_TYPES = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
}


@dataclass(slots=True)
class Scalar:
    value: Any
    tag: str
    mark: Mark
    size: int = 1


@dataclass(slots=True)
class Seq:
    items: list[Node]
    mark: Mark
    size: int = 1


@dataclass(slots=True)
class Map:
    items: list[tuple[Scalar, Node]]
    mark: Mark
    size: int = 1
    end: Mark | None = None
    keys: dict[str, Scalar] = field(default_factory=dict)
    merged: dict[str, int] = field(default_factory=dict)
    """Keys that came from a '<<' merge, with their index in ``items``."""


Node: TypeAlias = Scalar | Seq | Map

_BAD_KEY = "yogaback:bad-key"
"""Tag of the stand-in for a key that is not a plain word (already reported)."""
INVALID = "yogaback:invalid"
"""Tag of a scalar whose value could not be read, e.g. a 5,000-digit number (already reported)."""


def add_problem(problems: list[Problem], problem: Problem) -> None:
    """Record a problem; past MAX_PROBLEMS, record one note saying so and drop the rest."""
    if len(problems) < MAX_PROBLEMS:
        problems.append(problem)
    elif len(problems) == MAX_PROBLEMS:
        problems.append(
            Problem(
                problem.path,
                problem.line,
                problem.column,
                f"too many problems; only the first {MAX_PROBLEMS} are shown",
                "fix these and check again",
            )
        )


def _shorten(text: str, limit: int = 60) -> str:
    """A value short enough to quote in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mark(m: Any) -> Mark:
    return Mark(m.line + 1, m.column + 1) if m is not None else Mark(1, 1)


_constructor = yaml.constructor.SafeConstructor()


def _scalar_value(tag: str, text: str) -> Any:
    if tag == "tag:yaml.org,2002:str":
        return text
    # Call the constructor for the tag directly: construct_object() would remember every
    # node it ever built in the shared constructor (a leak across loads).
    return _constructor.yaml_constructors[tag](_constructor, yaml.ScalarNode(tag, text))


def _resolve(loader: Any, value: str, implicit: tuple[bool, bool]) -> str:
    """The implicit tag of a plain scalar, cached: routine files repeat the same words."""
    key = (value, implicit)
    tag = _resolved.get(key)
    if tag is None:
        tag = loader.resolve(yaml.ScalarNode, value, implicit)
        if len(_resolved) < 4096 and len(value) < 64:
            _resolved[key] = tag
    return tag


_resolved: dict[tuple[str, tuple[bool, bool]], str] = {}


_SYNTAX_HINTS = (
    (
        "mapping values are not allowed",
        "this line is indented differently from the lines around it, or a value holds "
        "': ' (put such a value in quotes)",
    ),
    (
        "did not find expected key",
        "a line just above is indented too far left or right: keys of one mapping must line up",
    ),
    (
        "did not find expected '-' indicator",
        "a line in this list is indented differently from the item above it",
    ),
    ("found undefined alias", "define the anchor (&name) before using the alias (*name)"),
)


_INDENT = re.compile(r"(?:[ \t]|[-?:](?=[ \t]))*")
"""The start of a line that YAML reads as indentation: spaces, tabs and the '- ', '? ' and
': ' indicators of block items."""


def _indent_tab(text: str, mark: Mark) -> Mark | None:
    """Where a tab sits in the indentation of the line of a syntax error, if one does.

    Whatever PyYAML calls the error (it depends on where the tab is), a tab there is the
    cause, and the user needs to hear that YAML forbids it, pointed at the tab itself.
    """
    lines = text.splitlines()
    if not 1 <= mark.line <= len(lines):
        return None
    line = lines[mark.line - 1]
    if line[mark.column - 1 : mark.column] == "\t":
        return mark
    indent = _INDENT.match(line)
    column = indent.group().find("\t") if indent else -1
    return Mark(mark.line, column + 1) if column >= 0 else None


def _syntax_hint(problem: str) -> str:
    """A hint in plain words for the YAML mistakes people make most."""
    for fragment, hint in _SYNTAX_HINTS:
        if fragment in problem:
            return hint
    return "check indentation, colons and quotes around here"


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, turning every way that can fail into a located problem."""
    where = str(path)

    def fail(message: str, hint: str | None = None, line: int = 1, column: int = 1) -> RoutineError:
        return RoutineError([Problem(where, line, column, message, hint)])

    try:
        data = read_small(path, MAX_BYTES)
    except Unreadable as why:
        if why.kind == "missing":
            raise fail("no such file", "check the path, or run 'yogaback list'") from None
        if why.kind == "stat":
            raise fail(f"cannot read: {why.detail}") from None
        if why.kind == "folder":
            raise fail("is a folder, not a routine file", "name a .yaml file inside it") from None
        if why.kind == "special":
            raise fail("not a regular file", "name a .yaml file") from None
        if why.kind == "too-large" and why.size is not None:
            raise fail(
                f"file is too large ({why.size:,} bytes; the limit is {MAX_BYTES:,})",
                "a routine file is a few kilobytes; is this the right file?",
            ) from None
        if why.kind == "too-large":
            raise fail(f"file is too large (over {MAX_BYTES:,} bytes)") from None
        raise fail(f"cannot read: {why.detail}", "check the file's permissions") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise fail("not UTF-8 text: the file is saved as UTF-16", "save the file as UTF-8")
    if b"\x00" in data:
        line, column = _locate(data, data.index(b"\x00"))
        raise fail(
            "this is a binary file, not YAML text (it contains NUL bytes)", line=line, column=column
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _locate(data, exc.start)
        raise fail(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
            "save the file as UTF-8",
            line,
            column,
        ) from None
    if not text.strip():
        raise fail("file is empty", "start from 'yogaback new NAME', which writes a template")
    return text


def _reader_mark(text: str, position: int) -> Mark:
    """Where a reader error is: libyaml counts UTF-8 bytes, the Python reader characters."""
    if _Loader is not yaml.SafeLoader:
        return Mark(*_locate(text.encode("utf-8"), position))
    prefix = text[:position].encode("utf-8")
    return Mark(*_locate(prefix, len(prefix)))


def _locate(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", "replace")) + 1


class _PastTheError(Exception):
    """The pure-Python re-read reached libyaml's error without meeting one of our limits."""


def compose(text: str, where: str) -> tuple[Node, list[Problem]]:
    """Build the node tree of the single YAML document in ``text``.

    Returns the root and any non-fatal problems (duplicate keys, unsupported
    tags). Raises RoutineError for anything that stops reading: a syntax
    error, a second document, or a limit exceeded.
    """
    try:
        return _compose(text, where, _Loader)
    except _LibyamlSyntaxError as exc:
        # libyaml scans ahead of the events it hands us, so its own limits (0.2.6 and newer
        # refuse flow nesting past 1,000 levels) can trip before ours. Re-read with the
        # pure-Python parser up to the place libyaml stopped: if one of our limits fires
        # on the way, that is the problem the user gets; otherwise libyaml's. The re-read
        # is bounded by the error's position, and happens only for a broken file.
        with contextlib.suppress(_PastTheError, yaml.YAMLError):
            _compose(text, where, yaml.SafeLoader, stop=exc.where)
        raise exc.error from None


class _LibyamlSyntaxError(Exception):
    def __init__(self, error: RoutineError, where: Mark) -> None:
        self.error = error
        self.where = where


def _compose(
    text: str, where: str, loader_class: type, stop: Mark | None = None
) -> tuple[Node, list[Problem]]:
    problems: list[Problem] = []
    anchors: dict[str, Node] = {}
    # Stack of open collections: (node, pending key or None)
    stack: list[tuple[Seq | Map, Scalar | None]] = []
    root: Node | None = None
    total = 0
    documents = 0
    aliases = 0

    def fail(mark: Mark, message: str, hint: str | None = None) -> RoutineError:
        return RoutineError([*problems, Problem(where, mark.line, mark.column, message, hint)])

    def attach(node: Node) -> None:
        nonlocal root, total
        total += node.size if isinstance(node, Scalar) else 0
        if not stack:
            root = node
            return
        parent, key = stack[-1]
        if isinstance(parent, Seq):
            parent.items.append(node)
            return
        if key is None:
            if not isinstance(node, Scalar) or not isinstance(node.value, str | int | float | bool):
                what = {Seq: "a list", Map: "a mapping"}.get(type(node))
                add_problem(
                    problems,
                    Problem(
                        where,
                        node.mark.line,
                        node.mark.column,
                        f"a key must be a plain word, not {what or 'empty'}",
                        "write 'name: value'" if what else "write a name before the ':'",
                    ),
                )
                node = Scalar(None, _BAD_KEY, node.mark)  # its value is dropped, not checked
            stack[-1] = (parent, node)
            return
        _add_pair(parent, key, node, problems, where)
        stack[-1] = (parent, None)

    try:
        loader = loader_class(text)  # the pure-Python reader checks the characters here
        while loader.check_event():
            event = loader.get_event()
            mark = _mark(event.start_mark)
            if stop is not None and (mark.line, mark.column) >= (stop.line, stop.column):
                raise _PastTheError
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(
                        mark,
                        "a routine file holds one YAML document, but a second starts here",
                        "remove the '---' line and what follows, or split the file",
                    )
            elif isinstance(event, yaml.ScalarEvent):
                tag = event.tag
                if tag is None or tag == "!":
                    tag = _resolve(loader, event.value, event.implicit)
                    if tag not in _SCALAR_TYPES and tag != "tag:yaml.org,2002:merge":
                        tag = "tag:yaml.org,2002:str"  # e.g. a date: we read it as text
                if tag == "tag:yaml.org,2002:merge":
                    value: Any = event.value
                elif tag not in _SCALAR_TYPES:
                    add_problem(
                        problems,
                        Problem(
                            where,
                            mark.line,
                            mark.column,
                            f"unsupported YAML tag {tag!r}",
                            "write a plain value without a '!' tag",
                        ),
                    )
                    value = event.value
                    tag = "tag:yaml.org,2002:str"
                else:
                    try:
                        value = _scalar_value(tag, event.value)
                    except (yaml.YAMLError, ValueError):
                        add_problem(
                            problems,
                            Problem(
                                where,
                                mark.line,
                                mark.column,
                                f"{_shorten(event.value)!r} is not a valid "
                                f"{tag.rsplit(':', 1)[-1]}",
                            ),
                        )
                        value, tag = event.value, INVALID
                node: Node = Scalar(value, tag, mark)
                if event.anchor:
                    anchors[event.anchor] = node
                attach(node)
            elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
                if len(stack) >= MAX_DEPTH:
                    raise fail(
                        mark,
                        f"nested more than {MAX_DEPTH} levels deep",
                        "a routine needs only a few levels of nesting",
                    )
                coll: Seq | Map = (
                    Seq([], mark) if isinstance(event, yaml.SequenceStartEvent) else Map([], mark)
                )
                if event.tag not in (None, "!", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"):
                    add_problem(
                        problems,
                        Problem(
                            where,
                            mark.line,
                            mark.column,
                            f"unsupported YAML tag {event.tag!r}",
                            "remove the '!' tag",
                        ),
                    )
                if event.anchor:
                    anchors[event.anchor] = coll
                stack.append((coll, None))
            elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
                done, _ = stack.pop()
                done.size = (
                    1 + sum(item.size for item in done.items)
                    if isinstance(done, Seq)
                    else 1 + sum(k.size + v.size for k, v in done.items)
                )
                if isinstance(done, Map):
                    done.end = mark
                total += 1
                attach(done)
            elif isinstance(event, yaml.AliasEvent):
                target = anchors.get(event.anchor or "")
                if target is None:  # libyaml reports this itself; kept for the pure-Python parser
                    raise fail(mark, f"unknown alias *{event.anchor}")
                total += target.size
                aliases += 1
                if isinstance(target, Seq | Map) and any(target is s for s, _ in stack):
                    raise fail(mark, f"alias *{event.anchor} refers to itself")
                attach(target)
            if total > MAX_NODES:
                raise fail(
                    mark,
                    f"document expands to more than {MAX_NODES:,} values",
                    "aliases (*name) may be repeating a large part many times"
                    if aliases
                    else "a routine holds a few thousand values at most",
                )
    except yaml.YAMLError as exc:
        if stop is not None:  # the re-read met a syntax error first: libyaml's report stands
            raise _PastTheError from None
        if isinstance(exc, yaml.MarkedYAMLError):
            m = _mark(exc.problem_mark)
            what = exc.problem or "invalid YAML"
            context = f" {exc.context}" if exc.context else ""
            tab = _indent_tab(text, m)
            if tab is not None:
                m = tab
                error = fail(
                    m,
                    "invalid YAML: a tab in the indentation",
                    f"YAML indents with spaces, not tabs: replace the tab at line {m.line} "
                    "with spaces",
                )
            else:
                error = fail(m, f"invalid YAML: {what}{context}", _syntax_hint(what))
            if loader_class is not yaml.SafeLoader:
                raise _LibyamlSyntaxError(error, m) from None
            raise error from None
        if isinstance(exc, yaml.reader.ReaderError):  # a character YAML does not allow
            char = exc.character if isinstance(exc.character, int) else ord(exc.character)
            raise fail(
                _reader_mark(text, exc.position),
                f"invalid YAML: character U+{char:04X} is not allowed here ({exc.reason})",
                "remove it; inside double quotes it may be written as an escape such as \\t",
            ) from None
        raise fail(Mark(1, 1), f"invalid YAML: {exc}") from None
    if root is None:
        raise fail(
            Mark(1, 1),
            "file holds no YAML document",
            "start from 'yogaback new NAME', which writes a template",
        )
    return root, problems


def _add_pair(parent: Map, key: Scalar, value: Node, problems: list[Problem], where: str) -> None:
    if key.tag == _BAD_KEY:
        return
    if key.tag == "tag:yaml.org,2002:merge":
        sources = value.items if isinstance(value, Seq) else [value]
        for source in sources:
            if not isinstance(source, Map):
                add_problem(
                    problems,
                    Problem(
                        where, source.mark.line, source.mark.column, "'<<' merges mappings only"
                    ),
                )
                continue
            for k, v in source.items:
                if str(k.value) not in parent.keys:
                    parent.keys[str(k.value)] = k
                    parent.merged[str(k.value)] = len(parent.items)
                    parent.items.append((k, v))
        return
    name = str(key.value)
    first = parent.keys.get(name)
    if first is not None and name not in parent.merged:
        add_problem(
            problems,
            Problem(
                where,
                key.mark.line,
                key.mark.column,
                f"duplicate key '{name}' (first at line {first.mark.line})",
                "each key may appear once in a mapping; remove one",
            ),
        )
        return
    parent.keys[name] = key
    if first is not None:  # a key merged earlier; explicit keys win, in its place
        parent.items[parent.merged.pop(name)] = (key, value)
        return
    parent.items.append((key, value))


def load(path: Path) -> tuple[Node, list[Problem]]:
    """Read and compose a YAML file. Raises RoutineError when it cannot be read at all."""
    return compose(read_text(path), str(path))
