"""The built-in figures: every pose of the shipped routines, as joint positions.

Units as in ``skeleton``: standing height about 10, floor at y = 0, side views face
right. Shared starting shapes (hands and knees, lying down, sitting on a chair...) are
written once and adjusted per pose.
"""

from __future__ import annotations

from yogaback.screen.figures.skeleton import Figure, Point, View

P = dict[str, Point]


def _with(base: P, **changes: Point) -> P:
    out = dict(base)
    out.update(changes)
    return out


def _both(limb: str, *points: Point) -> P:
    """The same joints for both arms or both legs (they overlap in a side view)."""
    names: tuple[str, ...] = ("sho", "elb", "hand") if limb == "arm" else ("knee", "foot", "toe")
    if limb == "leg" and len(points) == 4:
        names = ("hip", "knee", "foot", "toe")
    out: P = {}
    for name, point in zip(names, points, strict=False):
        out[f"{name}_l"] = point
        out[f"{name}_r"] = point
    return out


def _held(
    name: str, label: str, pose: P, view: View = "side", props: tuple[tuple[Point, ...], ...] = ()
) -> Figure:
    return Figure(name, label, ((0.0, pose),), view, props)


def _moving(
    name: str,
    label: str,
    *keys: tuple[float, P],
    view: View = "side",
    props: tuple[tuple[Point, ...], ...] = (),
) -> Figure:
    return Figure(name, label, tuple(keys), view, props)


# ---- Hands and knees, side view, facing right -------------------------------------

TABLE: P = {
    "pelvis": (0.0, 2.7),
    "mid": (1.7, 2.9),
    "neck": (3.4, 3.1),
    "head": (4.4, 3.3),
    **_both("arm", (3.4, 3.1), (3.4, 1.6), (3.4, 0.15)),
    **_both("leg", (0.0, 0.3), (-2.4, 0.25), (-2.9, 0.2)),
}
COW = _with(TABLE, mid=(1.7, 2.1), neck=(3.4, 3.0), head=(4.2, 3.9))
CAT = _with(TABLE, mid=(1.7, 4.1), neck=(3.4, 3.0), head=(3.8, 2.1))

# ---- Lying on the back, side view, head to the left ------------------------------

SUPINE: P = {
    "head": (-4.3, 0.85),
    "neck": (-3.4, 0.6),
    "pelvis": (0.0, 0.6),
    **_both("arm", (-3.2, 0.6), (-1.7, 0.5), (-0.2, 0.5)),
    **_both("leg", (2.4, 0.6), (4.8, 0.6), (5.0, 1.4)),
}
CROOK = _with(SUPINE, **_both("leg", (1.4, 2.5), (2.9, 0.3), (3.7, 0.2)))

# ---- Lying face down, side view, head to the right -------------------------------

PRONE: P = {
    "head": (4.3, 0.85),
    "neck": (3.4, 0.6),
    "pelvis": (0.0, 0.6),
    **_both("arm", (3.4, 0.6), (5.0, 0.5), (6.5, 0.5)),
    **_both("leg", (-2.4, 0.5), (-4.8, 0.5), (-5.5, 0.2)),
}

# ---- Seen from above, lying on the back, head up ---------------------------------

TOP: P = {
    "head": (0.0, 9.4),
    "neck": (0.0, 8.4),
    "pelvis": (0.0, 5.0),
    "sho_l": (-1.1, 8.2),
    "sho_r": (1.1, 8.2),
    "elb_l": (-2.7, 8.2),
    "elb_r": (2.7, 8.2),
    "hand_l": (-4.2, 8.3),
    "hand_r": (4.2, 8.3),
    "hip_l": (-0.6, 5.0),
    "hip_r": (0.6, 5.0),
}
# Both knees fallen to the right: thighs out to the side, shins back down.
KNEES_RIGHT: P = {
    "knee_l": (2.7, 5.3),
    "foot_l": (2.2, 3.0),
    "knee_r": (2.9, 4.5),
    "foot_r": (2.5, 2.2),
}

# ---- Sitting cross-legged: side view facing right, and front view ----------------

CROSS_SIDE: P = {
    "pelvis": (0.0, 0.8),
    "mid": (0.05, 2.5),
    "neck": (0.1, 4.2),
    "head": (0.25, 5.15),
    **_both("arm", (0.1, 4.2), (0.6, 2.7), (2.0, 1.3)),
    "knee_l": (2.3, 1.0),
    "foot_l": (0.6, 0.25),
    "knee_r": (2.1, 1.3),
    "foot_r": (1.0, 0.55),
}
CROSS_FRONT: P = {
    "pelvis": (0.0, 1.0),
    "neck": (0.0, 4.4),
    "head": (0.0, 5.35),
    "sho_l": (-1.1, 4.2),
    "sho_r": (1.1, 4.2),
    "hip_l": (-0.7, 1.0),
    "hip_r": (0.7, 1.0),
    "knee_l": (-2.5, 0.8),
    "knee_r": (2.5, 0.8),
    "foot_l": (0.9, 0.35),
    "foot_r": (-0.9, 0.35),
    "elb_l": (-1.6, 2.7),
    "elb_r": (1.6, 2.7),
    "hand_l": (-2.3, 1.1),
    "hand_r": (2.3, 1.1),
}

# ---- On a chair: side view facing right, and front view --------------------------

CHAIR_SIDE: tuple[tuple[Point, ...], ...] = (
    ((-1.4, 6.3), (-1.4, 0.0)),  # back post and back leg
    ((-1.4, 2.6), (1.4, 2.6), (1.4, 0.0)),  # seat and front leg
)
CHAIR_FRONT: tuple[tuple[Point, ...], ...] = (
    ((-1.7, 0.0), (-1.7, 2.6), (1.7, 2.6), (1.7, 0.0)),  # legs and seat
)
CHAIR_FRONT_BACK = (*CHAIR_FRONT, ((1.7, 2.6), (1.7, 6.0)))  # a back post to hold
SIT: P = {
    "pelvis": (-0.4, 3.0),
    "mid": (-0.4, 4.7),
    "neck": (-0.35, 6.4),
    "head": (-0.2, 7.35),
    **_both("arm", (-0.35, 6.4), (-0.2, 4.8), (1.3, 3.4)),
    **_both("leg", (2.0, 3.0), (2.1, 0.3), (2.9, 0.2)),
}
SIT_FRONT: P = {
    "pelvis": (0.0, 3.0),
    "neck": (0.0, 6.4),
    "head": (0.0, 7.35),
    "sho_l": (-1.1, 6.2),
    "sho_r": (1.1, 6.2),
    "elb_l": (-1.4, 4.6),
    "elb_r": (1.4, 4.6),
    "hand_l": (-0.8, 3.2),
    "hand_r": (0.8, 3.2),
    "hip_l": (-0.7, 3.0),
    "hip_r": (0.7, 3.0),
    "knee_l": (-0.9, 2.7),
    "knee_r": (0.9, 2.7),
    "foot_l": (-1.0, 0.2),
    "foot_r": (1.0, 0.2),
}

# ---- Lunge, side view facing right, front (right) foot forward -------------------

LUNGE: P = {
    "pelvis": (0.0, 2.6),
    "mid": (0.05, 4.25),
    "neck": (0.1, 5.9),
    "head": (0.25, 6.85),
    "knee_r": (2.3, 2.4),
    "foot_r": (2.4, 0.25),
    "toe_r": (3.2, 0.15),
    "knee_l": (-1.3, 0.3),
    "foot_l": (-3.6, 0.25),
    "toe_l": (-4.0, 0.5),
}


FIGURES: tuple[Figure, ...] = (
    # -- upper-back --
    _moving(
        "knees-to-chest",
        "Knees to chest",
        (
            0.0,
            _with(
                SUPINE,
                **_both("arm", (-3.2, 0.6), (-2.0, 1.6), (-0.8, 2.4)),
                **_both("leg", (-0.8, 2.9), (1.5, 3.5), (1.9, 4.1)),
            ),
        ),
        (
            1.0,
            _with(
                SUPINE,
                **_both("arm", (-3.2, 0.6), (-2.6, 1.9), (-1.5, 2.5)),
                **_both("leg", (-1.5, 2.6), (0.8, 3.4), (1.2, 4.0)),
            ),
        ),
    ),
    _moving(
        "knee-rocks",
        "Knee rocks",
        (
            0.0,
            _with(TOP, knee_l=(1.7, 6.1), foot_l=(1.3, 4.1), knee_r=(2.4, 5.4), foot_r=(1.9, 3.5)),
        ),
        (
            1.0,
            _with(
                TOP, knee_l=(-2.4, 5.4), foot_l=(-1.9, 3.5), knee_r=(-1.7, 6.1), foot_r=(-1.3, 4.1)
            ),
        ),
        view="top",
    ),
    _moving(
        "open-twist-reach",
        "Open twist, arm reaching up",
        (
            0.0,
            _with(
                SUPINE,
                sho_l=(-3.3, 0.9),
                elb_l=(-3.3, 2.5),
                hand_l=(-3.3, 4.1),
                **_both("leg", (1.7, 2.0), (3.3, 0.5), (4.0, 0.4)),
            ),
        ),
        (
            1.0,
            _with(
                SUPINE,
                sho_l=(-3.3, 0.6),
                elb_l=(-3.3, 2.1),
                hand_l=(-3.3, 3.6),
                **_both("leg", (1.7, 2.0), (3.3, 0.5), (4.0, 0.4)),
            ),
        ),
    ),
    _moving(
        "circle-in-the-sand",
        "Circle in the sand",
        (0.0, _with(TOP, **KNEES_RIGHT, elb_l=(-1.6, 9.9), hand_l=(-1.2, 11.5))),
        (0.5, _with(TOP, **KNEES_RIGHT)),
        (1.0, _with(TOP, **KNEES_RIGHT, elb_l=(-1.9, 6.8), hand_l=(-1.7, 5.2))),
        view="top",
    ),
    _held(
        "reclined-twist", "Reclined twist", _with(TOP, **KNEES_RIGHT, head=(-0.3, 9.35)), view="top"
    ),
    _moving(
        "block-roll-up",
        "Block roll-up",
        (0.0, _with(CROOK, **_both("arm", (-3.2, 0.6), (-4.8, 0.8), (-6.3, 0.9)))),
        (
            0.4,
            _with(
                CROOK,
                neck=(-3.3, 0.9),
                head=(-4.1, 1.5),
                **_both("arm", (-3.3, 0.9), (-3.3, 2.5), (-3.3, 4.0)),
            ),
        ),
        (
            1.0,
            _with(
                CROOK,
                mid=(-1.4, 1.7),
                neck=(-2.4, 2.8),
                head=(-1.8, 3.5),
                **_both("arm", (-2.4, 2.8), (-1.1, 3.5), (0.3, 3.9)),
            ),
        ),
    ),
    _moving("cat-cow", "Cat–cow", (0.0, COW), (1.0, CAT)),
    _moving(
        "tabletop-squeeze",
        "Shoulder-blade squeezes",
        (0.0, _with(TABLE, mid=(1.7, 2.6), neck=(3.3, 2.8), head=(4.3, 3.0))),
        (1.0, _with(TABLE, mid=(1.7, 3.3), neck=(3.4, 3.4), head=(4.4, 3.4))),
    ),
    _moving(
        "windmill",
        "Windmill",
        (
            0.0,
            _with(
                TABLE,
                knee_l=(-2.4, 1.7),
                foot_l=(-4.8, 0.6),
                toe_l=(-4.9, 0.0),
                elb_l=(3.6, 4.6),
                hand_l=(3.8, 6.1),
            ),
        ),
        (
            0.5,
            _with(
                TABLE,
                knee_l=(-2.4, 1.7),
                foot_l=(-4.8, 0.6),
                toe_l=(-4.9, 0.0),
                elb_l=(2.2, 4.2),
                hand_l=(0.8, 4.6),
            ),
        ),
        (1.0, _with(TABLE, knee_l=(-2.4, 1.7), foot_l=(-4.8, 0.6), toe_l=(-4.9, 0.0))),
    ),
    _held(
        "downward-dog",
        "Downward-facing dog",
        {
            "pelvis": (0.0, 4.6),
            "neck": (2.5, 2.2),
            "head": (2.3, 1.25),
            **_both("arm", (2.5, 2.2), (3.5, 1.2), (4.5, 0.15)),
            **_both("leg", (-1.2, 2.4), (-2.4, 0.3), (-1.6, 0.15)),
        },
    ),
    _moving(
        "low-lunge-pull-down",
        "Low lunge with pull-downs",
        (0.0, _with(LUNGE, **_both("arm", (0.1, 5.9), (0.2, 7.5), (0.3, 9.1)))),
        (1.0, _with(LUNGE, **_both("arm", (0.1, 5.9), (-0.6, 4.5), (-0.1, 6.0)))),
    ),
    _moving(
        "low-lunge-row",
        "Low lunge with rows",
        (0.0, _with(LUNGE, **_both("arm", (0.1, 5.9), (1.7, 5.8), (3.3, 5.8)))),
        (1.0, _with(LUNGE, **_both("arm", (0.1, 5.9), (-1.3, 5.0), (0.2, 5.3)))),
    ),
    _moving(
        "superhero",
        "Superhero",
        (
            0.0,
            _with(
                PRONE,
                mid=(1.7, 0.9),
                neck=(3.3, 1.6),
                head=(4.2, 2.1),
                sho_r=(3.3, 1.6),
                elb_r=(4.8, 2.3),
                hand_r=(6.3, 2.9),
                knee_l=(-2.3, 1.1),
                foot_l=(-4.6, 1.8),
                toe_l=(-5.3, 1.9),
                sho_l=(3.3, 1.6),
                elb_l=(4.9, 0.9),
                hand_l=(6.4, 0.5),
            ),
        ),
        (
            0.5,
            _with(
                PRONE,
                mid=(1.7, 0.9),
                neck=(3.3, 1.6),
                head=(4.2, 2.1),
                sho_r=(3.3, 1.6),
                elb_r=(2.3, 1.9),
                hand_r=(3.6, 2.6),
                knee_l=(-2.3, 1.1),
                foot_l=(-4.6, 1.8),
                toe_l=(-5.3, 1.9),
                sho_l=(3.3, 1.6),
                elb_l=(4.9, 0.9),
                hand_l=(6.4, 0.5),
            ),
        ),
        (1.0, PRONE),
    ),
    _held(
        "belly-rest",
        "Resting on the belly",
        _with(
            PRONE,
            head=(4.4, 1.5),
            neck=(3.4, 0.7),
            **_both("arm", (3.3, 0.7), (4.9, 0.3), (4.4, 0.7)),
        ),
    ),
    _held(
        "childs-pose",
        "Child's pose",
        {
            "pelvis": (0.0, 1.4),
            "mid": (1.6, 2.2),
            "neck": (3.2, 1.35),
            "head": (4.0, 0.8),
            **_both("arm", (3.2, 1.35), (4.7, 0.5), (6.4, 0.3)),
            **_both("leg", (2.2, 0.35), (-0.3, 0.3), (-0.8, 0.2)),
        },
    ),
    _held(
        "childs-pose-arms-back",
        "Child's pose, arms back",
        {
            "pelvis": (0.0, 1.4),
            "mid": (1.6, 2.2),
            "neck": (3.2, 1.35),
            "head": (4.0, 0.8),
            **_both("arm", (3.2, 1.35), (1.8, 0.45), (0.2, 0.35)),
            **_both("leg", (2.2, 0.35), (-0.3, 0.3), (-0.8, 0.2)),
        },
    ),
    _held(
        "seated-side-bend",
        "Seated side bend",
        _with(
            CROSS_FRONT,
            mid=(0.3, 2.8),
            neck=(1.0, 4.2),
            head=(1.55, 5.0),
            sho_r=(2.0, 3.9),
            elb_r=(2.9, 2.4),
            hand_r=(3.4, 0.9),
            sho_l=(0.0, 4.5),
            elb_l=(0.2, 6.2),
            hand_l=(1.9, 7.3),
        ),
        view="front",
    ),
    _held(
        "long-side-stretch",
        "Long side stretch",
        _with(
            CROSS_FRONT,
            mid=(0.5, 2.7),
            neck=(1.6, 3.9),
            head=(2.5, 4.35),
            sho_r=(2.3, 3.3),
            elb_r=(3.2, 1.9),
            hand_r=(3.8, 0.6),
            sho_l=(0.9, 4.5),
            elb_l=(1.4, 6.1),
            hand_l=(3.2, 6.9),
        ),
        view="front",
    ),
    _moving(
        "seated-elbow-twist",
        "Seated elbow twist",
        (
            0.0,
            _with(
                CROSS_FRONT,
                sho_l=(-1.1, 4.2),
                elb_l=(-2.6, 5.0),
                hand_l=(-0.6, 5.2),
                elb_r=(1.9, 2.7),
                hand_r=(2.5, 1.0),
            ),
        ),
        (
            1.0,
            _with(
                CROSS_FRONT,
                mid=(0.3, 2.7),
                neck=(0.8, 3.9),
                head=(1.3, 4.7),
                sho_l=(-0.3, 4.1),
                elb_l=(1.3, 2.6),
                hand_l=(0.7, 4.6),
                sho_r=(1.8, 3.6),
                elb_r=(2.2, 2.1),
                hand_r=(2.5, 1.0),
            ),
        ),
        view="front",
    ),
    _moving(
        "seated-rock",
        "Seated rocking cat–cow",
        (
            0.0,
            _with(
                CROSS_SIDE,
                mid=(0.6, 2.4),
                neck=(1.4, 4.0),
                head=(1.85, 4.9),
                **_both("arm", (1.4, 4.0), (1.8, 2.5), (2.1, 1.2)),
            ),
        ),
        (
            1.0,
            _with(
                CROSS_SIDE,
                mid=(-0.6, 2.6),
                neck=(0.0, 4.0),
                head=(0.75, 4.55),
                **_both("arm", (0.0, 4.0), (1.0, 2.7), (2.1, 1.4)),
            ),
        ),
    ),
    _held(
        "seated-forward-fold",
        "Seated forward fold",
        _with(
            CROSS_SIDE,
            mid=(1.2, 2.7),
            neck=(2.7, 2.0),
            head=(3.2, 1.2),
            **_both("arm", (2.7, 2.0), (3.6, 0.9), (4.9, 0.2)),
        ),
    ),
    _held(
        "rounded-forward-fold",
        "Rounded forward fold",
        {
            "pelvis": (0.0, 0.8),
            "mid": (1.3, 2.9),
            "neck": (2.8, 2.6),
            "head": (3.5, 1.85),
            **_both("arm", (2.8, 2.6), (3.9, 1.5), (5.2, 0.5)),
            **_both("leg", (2.4, 1.2), (4.8, 0.5), (5.0, 1.3)),
        },
        props=(((3.0, 0.0), (3.0, 1.0), (4.1, 1.0), (4.1, 0.0)),),
    ),
    _held(
        "savasana",
        "Savasana",
        _with(
            TOP,
            elb_l=(-1.7, 6.8),
            elb_r=(1.7, 6.8),
            hand_l=(-2.3, 5.3),
            hand_r=(2.3, 5.3),
            knee_l=(-0.9, 2.6),
            knee_r=(0.9, 2.6),
            foot_l=(-1.2, 0.3),
            foot_r=(1.2, 0.3),
            toe_l=(-1.8, -0.1),
            toe_r=(1.8, -0.1),
        ),
        view="top",
    ),
    _held(
        "easy-seat-prayer",
        "Easy seat, palms together",
        _with(
            CROSS_FRONT, elb_l=(-1.7, 3.0), elb_r=(1.7, 3.0), hand_l=(0.0, 3.4), hand_r=(0.0, 3.4)
        ),
        view="front",
    ),
    # -- yin-knots --
    _held(
        "thread-the-needle",
        "Thread the needle",
        {
            "pelvis": (0.0, 2.7),
            "mid": (1.6, 2.3),
            "neck": (2.9, 1.0),
            "head": (3.7, 0.8),
            "sho_r": (2.9, 0.8),
            "elb_r": (2.5, 0.4),
            "hand_r": (1.4, 0.35),
            "sho_l": (2.9, 1.6),
            "elb_l": (4.3, 1.2),
            "hand_l": (5.8, 0.2),
            **_both("leg", (0.0, 0.3), (-2.4, 0.25), (-2.9, 0.2)),
        },
    ),
    # -- desk-break, on a chair --
    _held("chair-sit", "Sitting tall on a chair", SIT, props=CHAIR_SIDE),
    _moving(
        "chair-cat-cow",
        "Seated cat–cow",
        (
            0.0,
            _with(
                SIT,
                mid=(-0.6, 4.7),
                neck=(-0.1, 6.45),
                head=(0.35, 7.3),
                **_both("arm", (-0.1, 6.45), (0.4, 4.9), (2.0, 3.3)),
            ),
        ),
        (
            1.0,
            _with(
                SIT,
                mid=(-0.85, 4.9),
                neck=(0.3, 6.1),
                head=(1.05, 6.7),
                **_both("arm", (0.3, 6.1), (0.9, 4.6), (2.0, 3.3)),
            ),
        ),
        props=CHAIR_SIDE,
    ),
    _moving(
        "chair-shoulder-rolls",
        "Shoulder rolls",
        (
            0.0,
            _with(
                SIT_FRONT,
                sho_l=(-1.1, 6.8),
                sho_r=(1.1, 6.8),
                elb_l=(-1.5, 5.2),
                elb_r=(1.5, 5.2),
                hand_l=(-0.9, 3.7),
                hand_r=(0.9, 3.7),
            ),
        ),
        (
            1.0,
            _with(
                SIT_FRONT,
                sho_l=(-1.2, 5.9),
                sho_r=(1.2, 5.9),
                elb_l=(-1.5, 4.4),
                elb_r=(1.5, 4.4),
                hand_l=(-0.8, 3.1),
                hand_r=(0.8, 3.1),
            ),
        ),
        view="front",
        props=CHAIR_FRONT,
    ),
    _held(
        "chair-neck-stretch",
        "Neck side stretch",
        _with(SIT_FRONT, head=(-0.7, 7.2), elb_r=(1.5, 4.6), hand_r=(1.7, 2.7)),
        view="front",
        props=CHAIR_FRONT,
    ),
    _moving(
        "chair-chin-tuck",
        "Chin tucks",
        (0.0, _with(SIT, head=(0.15, 7.3))),
        (1.0, _with(SIT, head=(-0.55, 7.4))),
        props=CHAIR_SIDE,
    ),
    _moving(
        "chair-self-hug",
        "Self-hug (eagle arms)",
        (
            0.0,
            _with(
                SIT_FRONT,
                elb_l=(-0.4, 5.6),
                hand_l=(1.4, 6.3),
                elb_r=(0.4, 5.3),
                hand_r=(-1.4, 6.4),
            ),
        ),
        (
            1.0,
            _with(
                SIT_FRONT,
                elb_l=(-0.4, 5.1),
                hand_l=(1.4, 6.2),
                elb_r=(0.4, 4.8),
                hand_r=(-1.4, 6.3),
            ),
        ),
        view="front",
        props=CHAIR_FRONT,
    ),
    _moving(
        "chair-twist",
        "Seated twist",
        (
            0.0,
            _with(
                SIT_FRONT,
                neck=(0.0, 6.6),
                head=(0.2, 7.55),
                sho_l=(-0.9, 6.4),
                sho_r=(0.9, 6.4),
                elb_l=(-0.3, 4.9),
                hand_l=(0.9, 3.0),
                elb_r=(2.3, 5.3),
                hand_r=(1.7, 4.3),
            ),
        ),
        (
            1.0,
            _with(
                SIT_FRONT,
                head=(0.45, 7.3),
                sho_l=(-0.6, 6.3),
                sho_r=(0.8, 6.2),
                elb_l=(0.0, 4.7),
                hand_l=(0.9, 3.0),
                elb_r=(2.4, 5.0),
                hand_r=(1.7, 4.3),
            ),
        ),
        view="front",
        props=CHAIR_FRONT_BACK,
    ),
    _moving(
        "chair-chest-opener",
        "Chest opener",
        (
            0.0,
            _with(
                SIT,
                mid=(-0.1, 4.7),
                neck=(-0.3, 6.5),
                head=(-0.2, 7.45),
                **_both("arm", (-0.4, 6.4), (-1.2, 5.0), (-1.8, 3.7)),
            ),
        ),
        (1.0, _with(SIT, **_both("arm", (-0.35, 6.3), (-1.0, 4.9), (-1.5, 3.6)))),
        props=CHAIR_SIDE,
    ),
)
