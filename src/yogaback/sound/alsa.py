"""Keep ALSA's own error messages off the screen.

libasound prints its configuration errors ("ALSA lib confmisc.c:855:(parse_card)
cannot find card '0'" and a dozen more) straight to stderr, over the live
screen. Installing a handler that does nothing, in the same libasound that
miniaudio and anything else in this process load at run time, silences them.
"""

from __future__ import annotations

import ctypes
import sys
import threading

_lock = threading.Lock()
_installed: list[object] = []
"""Keeps the ctypes callbacks alive for the life of the process."""

_ErrorHandler = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
"""``void (*)(const char *file, int line, const char *function, int err, const char *fmt, ...)``.
The variadic tail is never read, which is safe for a function that ignores it."""


def _ignore(*_args: object) -> None:
    return None


def quiet_alsa() -> bool:
    """Install a no-op ALSA error handler. Returns False when there is no libasound
    (not Linux, or not installed). Safe to call more than once."""
    if not sys.platform.startswith("linux"):
        return False
    with _lock:
        if _installed:
            return True
        try:
            lib = ctypes.CDLL("libasound.so.2")
        except OSError:
            return False
        handler = _ErrorHandler(_ignore)
        try:
            setter = lib.snd_lib_error_set_handler
        except AttributeError:
            return False
        setter.argtypes = [_ErrorHandler]
        setter.restype = ctypes.c_int
        setter(handler)
        _installed.extend([lib, handler])
        return True
