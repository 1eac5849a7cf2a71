"""The built-in figures: every pose of the shipped routines, as joint positions.

Data, over 400 lines: one short entry per pose, read as a catalogue, not logic.

Units as in ``skeleton``: standing height about 10, floor at y = 0, side views face
right. Shared starting shapes (hands and knees, lying down, sitting on a chair...) are
written once and adjusted per pose. Whatever touches the floor sits at y = 0 to 0.3
(a head resting on it at y = HEAD_RADIUS), so nothing floats above the floor line.
Top views show a person lying on a mat, head to the left: their right is down.
"""

from __future__ import annotations

from yogaback.figures.skeleton import HEAD_RADIUS, NOSE, Figure, Point, View

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
    name: str,
    label: str,
    pose: P,
    view: View = "side",
    props: tuple[tuple[Point, ...], ...] = (),
    nose: float = NOSE,
    head: float = HEAD_RADIUS,
) -> Figure:
    return Figure(name, label, ((0.0, pose),), view, props, nose, head)


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
    "head": (4.35, 3.3),
    **_both("arm", (3.4, 3.1), (3.4, 1.6), (3.4, 0.15)),
    **_both("leg", (0.0, 0.3), (-2.4, 0.25), (-2.9, 0.1)),
}
# Cow: the belly sinks and the chest lifts; the neck stays long, the gaze forward and
# only a little up (the head is not thrown back).
COW = _with(TABLE, mid=(1.7, 2.15), neck=(3.4, 3.2), head=(4.22, 3.68))
CAT = _with(TABLE, mid=(1.7, 4.1), neck=(3.4, 3.0), head=(3.8, 2.15))
# Straight arms on fists: the top of each arm stays where it is whatever the back does.
SQUEEZE = _with(TABLE, pelvis=(0.0, 2.8), head=(4.35, 3.15), **_both("arm", (3.45, 3.1)))

# ---- Kneeling folded forward (child's pose), side view, facing right -------------

# Hips back on the heels (the thighs resting on the shins), the back rounded over the
# thighs and the forehead down on the floor just in front of the knees.
CHILD: P = {
    "pelvis": (0.0, 0.9),
    "mid": (1.45, 1.5),
    "neck": (2.85, 0.95),
    "head": (3.45, 0.65),
    **_both("leg", (2.35, 0.3), (-0.25, 0.2), (-0.75, 0.1)),
}

# ---- Lying on the back, side view, head to the left ------------------------------

SUPINE: P = {
    "head": (-4.2, 0.65),
    "neck": (-3.3, 0.3),
    "pelvis": (0.0, 0.2),
    **_both("arm", (-3.2, 0.35), (-1.7, 0.2), (-0.2, 0.15)),
    **_both("leg", (2.4, 0.2), (4.8, 0.15), (5.1, 0.65)),
}


def _knees_in(knee: Point) -> P:
    """Lying on the back, knee at ``knee``: shin level in the air. The arms lie out in a
    T on the floor, which from the side is no more than the shoulder itself."""
    (x, y) = knee
    return {
        **_both("arm", (-3.2, 0.35), (-3.1, 0.25), (-3.0, 0.2)),
        **_both("leg", knee, (x + 1.9, y + 0.15), (x + 1.9, y + 0.15)),
    }


# Knees fallen to one side, seen from that side: the thighs come at us (short), the
# shins lie back along the floor, one leg stacked on the other.
TWIST_LEGS: P = {
    "knee_r": (1.5, 0.45),
    "foot_r": (3.3, 0.15),
    "toe_r": (3.3, 0.15),
    "knee_l": (1.7, 1.25),
    "foot_l": (3.5, 0.8),
    "toe_l": (3.5, 0.8),
}
KNEES_IN = _with(SUPINE, **_knees_in((-0.2, 2.5)))
CROOK = _with(SUPINE, **_both("leg", (1.4, 2.4), (2.9, 0.3), (3.6, 0.1)))

# ---- Lying face down, side view, head to the right -------------------------------

PRONE: P = {
    "head": (4.2, 0.7),
    "neck": (3.3, 0.5),
    "pelvis": (0.0, 0.45),
    **_both("arm", (3.3, 0.5), (4.6, 0.1), (6.3, 0.05)),
    # Heels up, toes pointing back along the floor: the feet show which way is down.
    **_both("leg", (-2.4, 0.3), (-4.6, 0.5), (-5.2, 0.0)),
}

# ---- Seen from above, lying on the back on a mat, head to the left ---------------
# Their right side is towards the bottom of the screen.

MAT: tuple[Point, ...] = ((-6.4, -2.5), (6.0, -2.5), (6.0, 2.5), (-6.4, 2.5), (-6.4, -2.5))
TOP: P = {
    "head": (-4.2, 0.0),
    "neck": (-3.3, 0.0),
    "pelvis": (0.0, 0.0),
    "sho_l": (-3.2, 0.85),
    "sho_r": (-3.2, -0.85),
    "elb_l": (-3.1, 2.3),
    "elb_r": (-3.1, -2.3),
    "hand_l": (-3.0, 3.75),
    "hand_r": (-3.0, -3.75),
    "hip_l": (0.0, 0.5),
    "hip_r": (0.0, -0.5),
}
# Both knees fallen to the right, stacked, thighs square to the body.
KNEES_RIGHT: P = {
    "knee_r": (1.0, -2.0),
    "foot_r": (3.2, -2.25),
    "knee_l": (1.35, -1.45),
    "foot_l": (3.5, -1.75),
}

# ---- Sitting cross-legged: side view facing right, and front view ----------------

CROSS_SIDE: P = {
    "pelvis": (0.0, 0.5),
    "mid": (0.05, 2.3),
    "neck": (0.1, 4.0),
    "head": (0.25, 4.95),
    **_both("arm", (0.1, 4.0), (0.7, 2.6), (1.9, 1.2)),
    **_both("leg", (2.3, 0.45), (0.6, 0.1)),
}
CROSS_FRONT: P = {
    "pelvis": (0.0, 1.0),
    "neck": (0.0, 4.4),
    "head": (0.0, 5.3),
    "sho_l": (-1.1, 4.2),
    "sho_r": (1.1, 4.2),
    "hip_l": (-0.7, 1.0),
    "hip_r": (0.7, 1.0),
    "knee_l": (-2.5, 0.6),
    "knee_r": (2.5, 0.6),
    "foot_l": (0.9, 0.15),
    "foot_r": (-0.9, 0.15),
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
    **_both("leg", (2.0, 3.0), (2.1, 0.3), (2.9, 0.1)),
}
SIT_FRONT: P = {
    "pelvis": (0.0, 3.0),
    "neck": (0.0, 6.4),
    "head": (0.0, 7.3),
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
    "foot_l": (-1.0, 0.1),
    "foot_r": (1.0, 0.1),
}

# Sitting forward on the seat, away from the chair back (room for the arms behind).
SIT_FORWARD: P = {
    **{j: (x + 0.75, y) for j, (x, y) in SIT.items()},
    **_both("leg", (2.75, 3.0), (2.85, 0.3), (3.65, 0.1)),
}

# Self-hug: shoulders rounded in, head a little dropped, each hand at the other shoulder.
HUG: P = {
    "neck": (0.0, 6.25),
    "head": (0.0, 7.05),
    "sho_l": (-0.95, 6.05),
    "sho_r": (0.95, 6.05),
    "hand_r": (-1.3, 5.75),
    "hand_l": (1.3, 5.65),
}

# ---- Lunge, side view facing right, front (right) foot forward -------------------

LUNGE: P = {
    "pelvis": (0.0, 2.6),
    "mid": (0.05, 4.25),
    "neck": (0.1, 5.9),
    "head": (0.25, 6.85),
    "knee_r": (2.3, 2.4),
    "foot_r": (2.4, 0.25),
    "toe_r": (3.2, 0.1),
    "knee_l": (-1.3, 0.3),
    "foot_l": (-3.6, 0.2),
    "toe_l": (-4.0, 0.45),
}

# The other leg reaches straight back from the hip down to the toes tucked on the floor,
# at a clearly steeper slant than the level back, so the hip makes a corner where the
# kneeling thigh, the back and this leg meet (a leg nearly in line with the back reads
# as a torso twice as long). The heel stands up off the floor over the toes.
WINDMILL_LEG: P = {"knee_l": (-1.95, 1.5), "foot_l": (-3.9, 0.45), "toe_l": (-3.7, 0.0)}
# The sweeping arm starts at a shoulder lifted off the spine behind the head (the chest
# opens towards the ceiling), so it never seems to grow out of the head.
WINDMILL_SHO: Point = (2.85, 3.55)


FIGURES: tuple[Figure, ...] = (
    # -- upper-back --
    _moving(
        "knees-to-chest",
        "Knees to chest",
        # Flat on the back, head and hips down; both legs folded over the belly, the
        # thighs leaning in towards the chest and the shins level out from the knees,
        # feet no further than the hips, so the leg reads as a fold over the body, not a
        # raised hip. The hands hold the shins just below the knees: a short arm from the
        # shoulder, elbow bent. Breathing out the knees come in a little closer.
        (
            0.0,
            _with(
                SUPINE,
                **_both("arm", (-3.2, 0.35), (-2.75, 1.4), (-1.55, 2.05)),
                **_both("leg", (-1.75, 1.85), (0.3, 1.95), (0.45, 2.3)),
            ),
        ),
        (
            1.0,
            _with(
                SUPINE,
                **_both("arm", (-3.2, 0.35), (-2.9, 1.3), (-1.8, 1.95)),
                **_both("leg", (-2.0, 1.7), (0.05, 1.9), (0.2, 2.25)),
            ),
        ),
    ),
    _moving(
        "knee-rocks",
        "Knee rocks",
        # Seen from the side, knees swaying to one side and the other dip a little at
        # each end and rise through the middle: shins level above the body, arms in a T.
        (0.0, _with(KNEES_IN, **_knees_in((-0.55, 2.15)))),
        (0.5, KNEES_IN),
        (1.0, _with(KNEES_IN, **_knees_in((0.15, 2.15)))),
    ),
    _moving(
        "open-twist-reach",
        "Open twist, arm reaching up",
        # On the back, head to the left, both knees fallen to the side towards us: two
        # bent legs stacked low on the floor, not one pair of knees up. The upper arm
        # points straight at the ceiling the whole time; breathing in, the fingertips
        # reach higher and the shoulder lifts off the floor, breathing out it settles.
        (
            0.0,
            _with(
                SUPINE, **TWIST_LEGS, sho_l=(-3.0, 1.35), elb_l=(-3.0, 3.05), hand_l=(-3.0, 4.75)
            ),
        ),
        (
            1.0,
            _with(SUPINE, **TWIST_LEGS, sho_l=(-3.2, 0.4), elb_l=(-3.2, 2.05), hand_l=(-3.2, 3.7)),
        ),
    ),
    _moving(
        "circle-in-the-sand",
        "Circle in the sand",
        (0.0, _with(TOP, **KNEES_RIGHT, elb_l=(-4.6, 1.45), hand_l=(-6.0, 1.9))),
        (0.5, _with(TOP, **KNEES_RIGHT)),
        (1.0, _with(TOP, **KNEES_RIGHT, elb_l=(-1.9, 1.6), hand_l=(-0.5, 1.9))),
        view="top",
        props=(MAT,),
    ),
    _held(
        "reclined-twist",
        "Reclined twist",
        _with(TOP, **KNEES_RIGHT, head=(-4.15, 0.3)),
        view="top",
        props=(MAT,),
    ),
    _moving(
        "block-roll-up",
        "Block roll-up",
        (0.0, _with(CROOK, **_both("arm", (-3.2, 0.5), (-4.8, 0.7), (-6.3, 0.8)))),
        (
            0.4,
            _with(
                CROOK,
                neck=(-3.3, 0.85),
                head=(-4.1, 1.4),
                **_both("arm", (-3.3, 0.85), (-3.3, 2.4), (-3.3, 3.9)),
            ),
        ),
        (
            1.0,
            _with(
                CROOK,
                # A curl, not a sit-up: the low back stays heavy on the mat, the
                # shoulders and head lift, chin towards the chest. The arms reach from
                # the shoulders (below the curled head, never through it) at full
                # length, the block towards the knees.
                mid=(-1.55, 0.5),
                neck=(-2.95, 1.7),
                head=(-2.45, 2.5),
                **_both("arm", (-2.9, 1.5), (-1.4, 1.55), (0.1, 1.65)),
            ),
        ),
    ),
    _moving("cat-cow", "Cat–cow", (0.0, COW), (1.0, CAT)),
    _moving(
        "tabletop-squeeze",
        "Shoulder-blade squeezes",
        # Unlike cat-cow, only the upper back moves: the low back stays flat and level
        # and the head stays where it is, level, looking down ahead. The arms stay
        # straight, so the tops of the arms stay put while the back between the shoulder
        # blades (drawn as the end of the spine, just behind them) sinks below them
        # (breathing in, blades together) or pushes up above them (breathing out, fists
        # pressing the mat, blades spread).
        (0.0, _with(SQUEEZE, mid=(1.75, 2.68), neck=(2.8, 2.3))),
        (1.0, _with(SQUEEZE, mid=(1.75, 3.0), neck=(2.8, 3.75))),
    ),
    _moving(
        "windmill",
        "Windmill",
        # Breathing in, the arm sweeps ahead and overhead as the chest opens; breathing
        # out it circles up and behind (the extra key) and down to lie back along the
        # body, hand by the hip: visible in both, never hidden behind the standing arm.
        # The back stays level over the standing hand and knee.
        (
            0.0,
            _with(TABLE, **WINDMILL_LEG, sho_l=WINDMILL_SHO, elb_l=(3.75, 4.8), hand_l=(4.6, 6.05)),
        ),
        (
            0.5,
            _with(
                TABLE, **WINDMILL_LEG, sho_l=WINDMILL_SHO, elb_l=(2.65, 5.1), hand_l=(2.45, 6.65)
            ),
        ),
        (
            1.0,
            _with(TABLE, **WINDMILL_LEG, sho_l=(3.1, 3.4), elb_l=(1.7, 3.85), hand_l=(0.3, 3.95)),
        ),
    ),
    _held(
        "downward-dog",
        "Downward-facing dog",
        {
            "pelvis": (0.0, 4.6),
            "neck": (2.5, 2.2),
            "head": (2.3, 1.3),
            **_both("arm", (2.5, 2.2), (3.5, 1.2), (4.5, 0.1)),
            **_both("leg", (-1.2, 2.4), (-2.4, 0.2), (-1.6, 0.05)),
        },
    ),
    _moving(
        "low-lunge-pull-down",
        "Low lunge with pull-downs",
        # Breathing in, the arms reach up from the shoulders, slanting forward past the
        # face rather than out of the top of the head; breathing out, the elbows pull
        # down beside the ribs, forearms up, hands level with the shoulders.
        (
            0.0,
            _with(LUNGE, head=(0.1, 6.85), **_both("arm", (0.25, 5.75), (1.05, 7.2), (1.65, 8.7))),
        ),
        (1.0, _with(LUNGE, **_both("arm", (0.2, 5.8), (0.7, 4.3), (1.3, 5.75)))),
    ),
    _moving(
        "low-lunge-row",
        "Low lunge with rows",
        (0.0, _with(LUNGE, **_both("arm", (0.1, 5.9), (1.7, 5.8), (3.3, 5.8)))),
        (1.0, _with(LUNGE, **_both("arm", (0.1, 5.9), (-1.3, 5.1), (0.3, 5.0)))),
    ),
    _moving(
        "superhero",
        "Superhero",
        # Breathing in: chest, one arm and the opposite leg lift; chin in, nose to the floor.
        # The other arm and leg stay down. Breathing out: everything lowers.
        (
            0.0,
            _with(
                PRONE,
                mid=(1.7, 0.8),
                neck=(3.2, 1.35),
                head=(4.1, 1.1),
                sho_l=(3.2, 1.35),
                elb_l=(4.55, 2.2),
                hand_l=(5.9, 2.9),
                sho_r=(3.2, 1.35),
                elb_r=(4.8, 0.2),
                hand_r=(6.3, 0.05),
                knee_r=(-2.3, 0.9),
                foot_r=(-4.5, 1.55),
                toe_r=(-5.1, 1.5),
            ),
        ),
        (1.0, PRONE),
    ),
    _held(
        "belly-rest",
        "Resting on the belly",
        # Resting, not lifting: the forehead lies on the stacked hands, forearms flat on
        # the floor, the chest down. Only the back swells a little with each breath in.
        _with(
            PRONE,
            head=(4.3, 0.85),
            neck=(3.3, 0.5),
            mid=(1.5, 0.5),
            **_both("arm", (3.3, 0.45), (3.8, 0.05), (4.9, 0.15)),
        ),
    ),
    _held(
        "childs-pose",
        "Child's pose",
        _with(CHILD, **_both("arm", (2.85, 0.95), (4.3, 0.35), (5.8, 0.1))),
    ),
    _held(
        "childs-pose-arms-back",
        "Child's pose, arms back",
        # The arms lie straight on the floor from the shoulders back past the feet,
        # palms up: nothing reaches ahead of the head, and no arc under the back.
        _with(CHILD, **_both("arm", (2.85, 0.95), (1.5, 0.15), (-0.4, 0.05))),
    ),
    _held(
        "seated-side-bend",
        "Seated side bend",
        # Bending to the right over the right hand, planted close beside the hip with
        # the elbow soft (a hand far out invites slumping onto it); the left arm rises from a
        # shoulder beside the neck and curves over the head in one arc, elbow soft, the
        # hand above the head pointing the way of the bend.
        _with(
            CROSS_FRONT,
            mid=(0.2, 2.8),
            neck=(0.9, 4.25),
            head=(1.5, 5.0),
            sho_r=(1.75, 3.6),
            elb_r=(2.25, 1.85),
            hand_r=(1.8, 0.1),
            sho_l=(0.4, 4.45),
            elb_l=(0.75, 6.1),
            hand_l=(2.2, 6.45),
        ),
        view="front",
    ),
    _held(
        "long-side-stretch",
        "Long side stretch",
        # Deeper than the side bend, the left arm straight: one line from the shoulder
        # beside the neck, up and over past the head, the whole left side long. The
        # right hand stays near the hip, elbow soft, so the bend is not a lean onto it.
        _with(
            CROSS_FRONT,
            mid=(0.75, 2.65),
            neck=(1.75, 3.85),
            head=(2.5, 4.35),
            sho_r=(2.5, 3.2),
            elb_r=(2.95, 1.6),
            hand_r=(2.5, 0.1),
            sho_l=(1.35, 4.1),
            elb_l=(2.3, 5.4),
            hand_l=(3.2, 6.6),
        ),
        view="front",
    ),
    _moving(
        "seated-elbow-twist",
        "Seated elbow twist",
        # Cross-legged, seen from in front, the right hand pressing the floor out beside
        # the knee and the left fingertips at the base of the skull, elbow wide. Breathing in,
        # the body sits up tall and square, chest open, the left elbow wide and high at
        # the side of the head. Breathing out, the chest turns and folds down to the right
        # (the shoulders narrow, the head drops low) until the left elbow points at the
        # right knee: a twist down, not a side bend up.
        (
            0.0,
            _with(
                CROSS_FRONT,
                mid=(0.05, 2.75),
                neck=(0.15, 4.45),
                head=(0.25, 5.35),
                sho_l=(-0.95, 4.35),
                elb_l=(-2.2, 5.3),
                hand_l=(-0.45, 5.45),
                sho_r=(1.2, 4.25),
                elb_r=(2.2, 2.3),
                hand_r=(2.9, 0.1),
            ),
        ),
        (
            1.0,
            _with(
                CROSS_FRONT,
                mid=(0.35, 2.6),
                neck=(0.85, 4.05),
                head=(1.25, 4.85),
                sho_l=(0.7, 3.9),
                elb_l=(1.45, 2.45),
                hand_l=(1.05, 4.3),
                sho_r=(1.55, 3.8),
                elb_r=(2.45, 2.1),
                hand_r=(2.9, 0.1),
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
                mid=(0.75, 2.2),
                neck=(1.3, 3.9),
                head=(1.75, 4.75),
                **_both("arm", (1.3, 3.9), (1.6, 2.4), (2.2, 1.0)),
            ),
        ),
        (
            1.0,
            _with(
                CROSS_SIDE,
                pelvis=(-0.2, 0.5),
                mid=(-0.85, 2.35),
                neck=(-0.2, 3.95),
                head=(0.5, 4.55),
                **_both("arm", (-0.2, 3.95), (0.8, 2.8), (2.1, 1.2)),
            ),
        ),
    ),
    _held(
        "seated-forward-fold",
        "Seated forward fold",
        # Folded over crossed legs: hips on the floor (no heels under them), the two
        # shins crossing in front of them, under the chest, hands walked out ahead.
        _with(
            CROSS_SIDE,
            pelvis=(0.0, 0.35),
            mid=(1.35, 1.8),
            neck=(3.0, 1.9),
            head=(3.7, 1.35),
            **_both("arm", (3.0, 1.9), (4.1, 1.0), (5.35, 0.1)),
            knee_r=(2.7, 1.05),
            foot_r=(0.6, 0.05),
            knee_l=(2.7, 0.05),
            foot_l=(0.6, 1.05),
        ),
        head=0.55,
    ),
    _held(
        "rounded-forward-fold",
        "Rounded forward fold",
        {
            # Sitting on the floor, legs long ahead with the feet standing up at the end.
            # The low back rises from the floor, the back rounds over in one gentle curve
            # and the head hangs down over the knees; the arms hang slack, hands on the
            # floor beside the shins.
            "pelvis": (0.0, 0.45),
            "mid": (1.25, 1.75),
            "neck": (2.85, 1.75),
            "head": (3.4, 1.15),
            **_both("arm", (2.85, 1.75), (3.4, 0.9), (4.3, 0.1)),
            **_both("leg", (2.4, 0.2), (4.8, 0.1), (5.0, 0.95)),
        },
        head=0.55,
    ),
    _held(
        "savasana",
        "Savasana",
        # Face up: the head lies level so the nose points at the ceiling, and it is drawn
        # long enough to see. The chest and belly stand a little off the floor and the
        # arms slope down from the shoulders to rest on it, a little away from the body.
        {
            "head": (-4.3, 0.68),
            "neck": (-3.4, 0.72),
            "mid": (-1.7, 0.95),
            "pelvis": (0.0, 0.65),
            **_both("arm", (-3.4, 0.72), (-2.0, 0.1), (-0.5, 0.05)),
            **_both("leg", (2.4, 0.35), (4.8, 0.2), (5.1, 0.75)),
        },
        nose=0.4,
    ),
    _held(
        "easy-seat-prayer",
        "Easy seat, palms together",
        _with(
            CROSS_FRONT,
            elb_l=(-1.6, 2.85),
            elb_r=(1.6, 2.85),
            hand_l=(0.0, 3.75),
            hand_r=(0.0, 3.75),
        ),
        view="front",
    ),
    # -- yin-knots --
    _held(
        "thread-the-needle",
        "Thread the needle",
        {
            # Hips stacked over the knees (thighs straight up), the back sloping down to
            # the right shoulder, which rests on the floor with the side of the head
            # beside it (the face turned: no nose). The chest has turned open, so the
            # left shoulder stands right above the right one; the left hand presses the
            # floor just in front of the face, elbow up. The threaded right arm lies flat
            # on the floor under the chest, out to the far side (so, seen from the side,
            # it looks short: it points away from us).
            "pelvis": (0.0, 2.6),
            "mid": (1.45, 2.0),
            "neck": (2.7, 0.5),
            "head": (3.4, 0.65),
            "sho_r": (2.7, 0.35),
            "elb_r": (1.95, 0.1),
            "hand_r": (1.1, 0.1),
            "sho_l": (2.55, 1.75),
            "elb_l": (3.55, 2.1),
            "hand_l": (4.35, 0.1),
            **_both("leg", (0.0, 0.3), (-2.4, 0.2), (-2.9, 0.1)),
        },
        nose=0.0,
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
                mid=(0.15, 4.75),
                neck=(-0.2, 6.45),
                head=(-0.4, 7.35),
                **_both("arm", (-0.2, 6.45), (0.2, 4.9), (1.6, 3.4)),
            ),
        ),
        (
            1.0,
            _with(
                SIT,
                mid=(-0.95, 4.9),
                neck=(0.3, 6.1),
                head=(1.0, 6.7),
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
            # Shrugged up toward the ears, but never above the chin.
            _with(
                SIT_FRONT,
                sho_l=(-1.0, 6.5),
                sho_r=(1.0, 6.5),
                elb_l=(-1.2, 4.95),
                elb_r=(1.2, 4.95),
                hand_l=(-1.3, 3.45),
                hand_r=(1.3, 3.45),
            ),
        ),
        (
            1.0,
            _with(
                SIT_FRONT,
                sho_l=(-1.25, 5.9),
                sho_r=(1.25, 5.9),
                elb_l=(-1.35, 4.4),
                elb_r=(1.35, 4.4),
                hand_l=(-1.4, 2.9),
                hand_r=(1.4, 2.9),
            ),
        ),
        view="front",
        props=CHAIR_FRONT,
    ),
    _held(
        "chair-neck-stretch",
        "Neck side stretch",
        # A tilt, not a glide: the head turns about the base of the neck, which sits
        # low between the level shoulders, so a long neck line leans over with the
        # head (right ear towards the right shoulder) and the top of the head moves most.
        _with(
            SIT_FRONT,
            neck=(0.0, 6.1),
            head=(0.95, 7.25),
            elb_l=(-1.5, 4.6),
            hand_l=(-1.7, 2.7),
            elb_r=(1.25, 4.7),
            hand_r=(1.3, 3.2),
        ),
        view="front",
        props=CHAIR_FRONT,
        head=0.58,
    ),
    _moving(
        "chair-chin-tuck",
        "Chin tucks",
        # Breathing in, the head glides straight back and up (tall, a double chin),
        # chin level; breathing out it lets go to neutral, upright over the shoulders,
        # never ahead of them. The shoulders, arms and back stay still: only the top
        # of the spine and the head move, straight back and forth, and the head stays
        # upright over the neck in both, so the nose stays level: no nodding.
        (0.0, _with(SIT, neck=(-0.65, 6.5), head=(-0.65, 7.45), **_both("arm", (-0.35, 6.4)))),
        (1.0, _with(SIT, neck=(-0.35, 6.4), head=(-0.33, 7.35), **_both("arm", (-0.35, 6.4)))),
        props=CHAIR_SIDE,
    ),
    _moving(
        "chair-self-hug",
        "Self-hug (eagle arms)",
        # Arms crossed over the chest, right arm on top: each elbow in front of the
        # breastbone, each hand round the opposite shoulder to the blade behind it. The
        # shoulders round in and the head drops a little; breathing in, the elbows lift
        # and the back widens.
        (0.0, _with(SIT_FRONT, **HUG, elb_r=(-0.6, 4.95), elb_l=(0.6, 4.75))),
        (1.0, _with(SIT_FRONT, **HUG, elb_r=(-0.6, 4.55), elb_l=(0.6, 4.35))),
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
                head=(0.2, 7.5),
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
                head=(0.45, 7.25),
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
        # Sitting forward on the seat, both hands reach back and down to hold the chair's
        # back post: each arm ends on the post, never through it. Breathing in, the
        # chest lifts (the middle of the back comes forward), chin level; breathing out,
        # the shoulders draw further back as the blades come together.
        (
            0.0,
            _with(
                SIT_FORWARD,
                mid=(0.95, 4.8),
                neck=(0.5, 6.55),
                head=(0.55, 7.5),
                **_both("arm", (0.45, 6.45), (-0.45, 5.35), (-1.4, 4.3)),
            ),
        ),
        (
            1.0,
            _with(
                SIT_FORWARD,
                mid=(0.8, 4.75),
                neck=(0.4, 6.45),
                head=(0.45, 7.4),
                **_both("arm", (0.15, 6.35), (-0.6, 5.25), (-1.4, 4.3)),
            ),
        ),
        props=CHAIR_SIDE,
    ),
)
