"""What the student sees: the view of the player's state and its rendering (``view``,
pure), the live screen on the alternate buffer (``live``), and the terminal adapter that
owns key input, signals and restoring the terminal (``terminal``)."""
