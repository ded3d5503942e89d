"""The Übersicht reads every decision's money at once (``money_summaries``); it must say exactly
what the per-decision ``money_summary`` says for every decision (the demo has an amendment)."""

from __future__ import annotations


def test_money_summaries_equal_the_single_summaries(demo_ws):
    everything = demo_ws.money_summaries()
    decisions = demo_ws.decisions(include_deleted=True)
    assert set(everything) == {d.id for d in decisions}
    for decision in decisions:
        summary = dict(everything[decision.id])
        version = summary.pop("version")
        assert summary == demo_ws.money_summary(decision.id)
        assert version == demo_ws.current_version(decision.id)
        assert summary["spent"] > 0  # the demo's decisions have receipts: a sum, not a default
