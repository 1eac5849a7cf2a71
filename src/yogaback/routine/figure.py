"""The ``figure`` key of a pose: which picture the live screen draws for it.

    figure: downward-dog                       # a built-in figure (`yogaback figures`)
    figure: {name: thread-the-needle, mirror: true}   # the same, drawn the other way round
    figure:                                    # the routine's own: joints by breath phase
      view: side
      inhale: {head: [4.2, 3.9], neck: [3.4, 3.0], pelvis: [0, 2.7], ...}
      exhale: {head: [3.8, 2.1], neck: [3.4, 3.0], pelvis: [0, 2.7], ...}

Joint positions are ``[x, y]`` in body units: a standing person is about 10 tall, the
floor is y = 0, side views face right. ``hold:`` instead of ``inhale``/``exhale`` gives
a held shape (it breathes slightly by itself).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from yogaback.routine.model import FigureChoice, Point
from yogaback.routine.nodes import Map, Node, Seq
from yogaback.routine.spec import (
    Choice,
    Ctx,
    F,
    Flag,
    Invalid,
    Obj,
    Ref,
    Spec,
    describe,
    scalar_of,
)

VIEWS = ("side", "front", "top")


def _names() -> list[str]:
    from yogaback import figures

    return figures.names()


@dataclass
class FigureName(Spec):
    description: str = "A built-in figure (`yogaback figures` shows them all)."

    def check(self, node: Node, ctx: Ctx) -> str:
        scalar = scalar_of(node, ctx, "a figure's name")
        value = scalar.value
        names = _names()
        if not isinstance(value, str) or value not in names:
            close = difflib.get_close_matches(str(value), names, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "`yogaback figures` lists them"
            raise ctx.report(node.mark, f"no figure named {value!r}", hint)
        return value

    def schema(self) -> dict[str, Any]:
        return self.with_doc({"enum": _names()})


@dataclass
class Joints(Spec):
    """Joint positions: ``{head: [x, y], neck: [x, y], ...}``."""

    description: str = ""

    def check(self, node: Node, ctx: Ctx) -> dict[str, Point]:
        from yogaback.figures.skeleton import JOINTS

        if not isinstance(node, Map):
            raise ctx.report(
                node.mark,
                f"expected joint positions such as {{head: [4, 3]}}, got {describe(node)}",
            )
        out: dict[str, Point] = {}
        failed = False
        for key, child in node.items:
            name = str(key.value)
            if name not in JOINTS:
                close = difflib.get_close_matches(name, sorted(JOINTS), n=1)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "joints: " + ", ".join(sorted(JOINTS))
                )
                ctx.report(key.mark, f"unknown joint '{name}'", hint)
                failed = True
                continue
            point = self._point(child, ctx)
            if point is None:
                failed = True
            else:
                out[name] = point
        if failed:
            raise Invalid("joints")
        return out

    @staticmethod
    def _point(node: Node, ctx: Ctx) -> Point | None:
        values = []
        if isinstance(node, Seq) and len(node.items) == 2:
            for item in node.items:
                try:
                    v = scalar_of(item, ctx, "a number").value
                except Invalid:
                    return None
                if isinstance(v, bool) or not isinstance(v, int | float) or v != v:
                    break
                values.append(float(v))
        if len(values) != 2 or any(abs(v) > 100 for v in values):
            ctx.report(node.mark, "expected a position [x, y]: two numbers from -100 to 100")
            return None
        return values[0], values[1]

    def schema(self) -> dict[str, Any]:
        from yogaback.figures.skeleton import JOINTS

        point = {
            "type": "array",
            "items": {"type": "number", "minimum": -100, "maximum": 100},
            "minItems": 2,
            "maxItems": 2,
        }
        return self.with_doc(
            {
                "type": "object",
                "propertyNames": {"enum": sorted(JOINTS)},
                "additionalProperties": point,
                "required": ["head", "neck", "pelvis"],
            }
        )


def _build(**v: Any) -> dict[str, Any]:
    return v


FIGURE_OBJ = Obj(
    "figure",
    _build,
    {
        "name": F(FigureName()),
        "mirror": F(Flag(description="Draw it the other way round."), default=False),
        "view": F(
            Choice(VIEWS, description="Seen from the side (default), the front or above."),
            default="side",
        ),
        "inhale": F(Joints(description="The shape at the end of the in-breath.")),
        "exhale": F(Joints(description="The shape at the end of the out-breath.")),
        "hold": F(Joints(description="A held shape (it breathes slightly by itself).")),
    },
    exactly_one=(("name", "inhale", "hold"),),
    at_most_one=(("name", "view"), ("hold", "exhale")),
    description="A built-in figure, mirrored or not, or the pose's own keyframes.",
)


@dataclass
class FigureSpec(Spec):
    """A pose's ``figure``: a built-in figure's name, or a mapping (see the module)."""

    registry: dict[str, Obj]
    description: str = (
        "The picture the live screen draws: a built-in figure's name (`yogaback figures`), "
        "{name: ..., mirror: true}, or the pose's own {inhale: ..., exhale: ...} or {hold: ...}"
        " joint positions."
    )

    def check(self, node: Node, ctx: Ctx) -> FigureChoice:
        if not isinstance(node, Map):
            return FigureChoice(FigureName().check(node, ctx), locs={"": node.mark})
        values = Ref("figure", self.registry).check(node, ctx)
        locs = values.pop("locs")
        if values["inhale"] is not None and values["exhale"] is None:
            raise ctx.report(
                node.mark,
                "a figure with an 'inhale' shape needs an 'exhale' shape too",
                "add 'exhale: {...}', or give one 'hold: {...}' shape",
            )
        if values["exhale"] is not None and values["inhale"] is None:
            raise ctx.report(locs["exhale"], "'exhale' needs an 'inhale' shape too")
        if values["name"] is not None:
            return FigureChoice(values["name"], values["mirror"], locs=locs)
        if values["hold"] is not None:
            keys: tuple[tuple[float, dict[str, Point]], ...] = ((0.0, values["hold"]),)
        else:
            keys = ((0.0, values["inhale"]), (1.0, values["exhale"]))
        choice = FigureChoice(None, values["mirror"], values["view"], keys, locs=locs)
        from yogaback.figures import FigureError, from_choice

        try:
            from_choice(choice, "figure")
        except FigureError as exc:
            message = str(exc).split(": ", 1)[-1]
            raise ctx.report(node.mark, message, "see `yogaback schema` for the joints") from None
        return choice

    def schema(self) -> dict[str, Any]:
        return self.with_doc(
            {"anyOf": [FigureName().schema(), Ref("figure", self.registry).schema()]}
        )
