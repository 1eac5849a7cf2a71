"""What was practised: the SQLite journal, written from a background thread so the timing
loop never waits on the disk (``store``)."""
