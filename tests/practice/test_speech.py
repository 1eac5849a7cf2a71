"""What is spoken when: the pure speech plan, driven by a fake speech length."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import small
from yogaback.practice import speech
from yogaback.practice.speech import CUE, GAP, MARGIN, NEXT, SETUP, STRIKE_DELAY, fit_speech, plan
from yogaback.practice.timeline import Timeline


def by_words(seconds_per_word: float) -> speech.SpeechLength:
    return lambda text: seconds_per_word * len(text.split())


def no_overlap(timeline: Timeline, clips: tuple[speech.Clip, ...]) -> None:
    for a, b in itertools.pairwise(clips):
        assert b.at >= a.end + GAP - 1e-9, (a, b)
    for clip in clips:
        seg = timeline.segments[clip.segment]
        assert clip.at == pytest.approx(seg.start + clip.offset)
        part_end = max(s.end for s in timeline.segments if s.part == seg.part)
        assert clip.end <= part_end + 1e-9  # never into the next part's bowl


def test_a_transition_lasts_as_long_as_its_words_plus_a_breath() -> None:
    timeline = small()
    # "Come into seat." is 3 words: 6 s at 2 s a word, longer than the 5 s transition
    voiced = fit_speech(timeline, by_words(2.0))
    first = voiced.segments[0]
    assert first.phase == "transition"
    assert first.length == STRIKE_DELAY + 6.0 + MARGIN
    # everything after moves later by as much, and the totals still add up
    grown = first.length - timeline.segments[0].length
    assert voiced.segments[1].start == timeline.segments[1].start + grown
    assert voiced.total == pytest.approx(sum(s.length for s in voiced.segments))
    assert voiced.parts[1].start == timeline.parts[1].start + grown


def test_short_words_change_nothing() -> None:
    timeline = small()
    assert fit_speech(timeline, by_words(0.1)) == timeline
    assert fit_speech(timeline, lambda text: 0.0) == timeline  # nothing can be said


def test_each_text_is_said_once_per_part_in_priority_order() -> None:
    timeline = fit_speech(small(), by_words(0.5))
    clips = plan(timeline, by_words(0.5))
    said = [(timeline.segments[c.segment].part, c.text, c.priority) for c in clips]
    assert said[:3] == [(0, "Come into seat.", NEXT), (0, "in", SETUP), (0, "out", CUE)]
    # part 1: the get-ready words, the hold's cue, and the timed cue at 20 s
    assert [(t, p) for part, t, p in said if part == 1] == [
        ("Come into fold.", NEXT),
        ("stay", SETUP),
        ("soften", CUE),
    ]
    # the twist's second side says "Switch sides" first
    assert next(t for part, t, _ in said if part == 4).startswith("Switch sides: now the left")
    no_overlap(timeline, clips)


def test_speech_starts_after_the_bowl_has_faded_a_little() -> None:
    timeline = fit_speech(small(), by_words(0.5))
    (first, *_) = plan(timeline, by_words(0.5))
    assert first.at == STRIKE_DELAY and first.offset == STRIKE_DELAY


@pytest.mark.parametrize(
    ("in_words", "said"),
    [
        # "in" (5.25-8.25 s) leaves room after it for "out" only in short, before 13 s
        (6, ["Come into seat.", "in", "Let it go."]),
        # "in" (5.25-10.25 s) runs past the end of "out"'s breath: "out" is left out
        (10, ["Come into seat.", "in"]),
    ],
)
def test_a_cue_that_does_not_fit_is_shortened_or_left_out_never_overlapped(
    in_words: int, said: list[str]
) -> None:
    timeline = small()  # part 0: 0-5 s getting ready, breaths of 2 s from 5 s to 13 s
    words = {"in": in_words, "out": 13}
    out = "Let it go. And rest a while longer, as long as you like, right here."
    timeline = Timeline(
        timeline.title,
        tuple(
            s if s.text != "out" else dataclasses.replace(s, text=out) for s in timeline.segments
        ),
        timeline.parts,
        timeline.total,
    )

    def length(text: str) -> float:
        return 0.5 * words.get(text, len(text.split()))

    clips = plan(timeline, length)
    no_overlap(timeline, clips)
    assert [c.text for c in clips if timeline.segments[c.segment].part == 0] == said


def test_the_first_sentence_stands_in_for_a_setup_that_does_not_fit() -> None:
    timeline = small()
    setup = "Switch sides: now the left side. Come into twist."

    def length(text: str) -> float:
        # the full switch text is too long for the left twist's 30 s
        return 40.0 if text == setup else 1.0

    clips = plan(timeline, length)
    left = [c for c in clips if timeline.segments[c.segment].part == 4]
    assert left[0].text == "Switch sides: now the left side."
    assert left[0].priority == NEXT
    no_overlap(timeline, clips)


@given(st.floats(min_value=0.05, max_value=3.0), st.booleans())
def test_never_two_clips_at_once_whatever_the_lengths(per_word: float, fitted: bool) -> None:
    timeline = small()
    if fitted:
        timeline = fit_speech(timeline, by_words(per_word))
    clips = plan(timeline, by_words(per_word))
    no_overlap(timeline, clips)
    assert all(c.priority in (NEXT, SETUP, CUE) for c in clips)
    if fitted:  # every part's get-ready words fit their stretched transition
        assert {timeline.segments[c.segment].part for c in clips if c.priority == NEXT} == set(
            range(len(timeline.parts))
        )
