"""A practice in time: the routine compiled to a flat timeline (``timeline``, pure), the
clock-driven state machine that walks it (``player``, pure), and the session loop that
feeds it keys, signals and the clock and hands what happened to the sinks (``session``)."""
