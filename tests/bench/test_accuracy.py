"""The accuracy bench's report: the real-clip section stands alone when only real clips ran."""

from bench.accuracy import to_markdown

REAL = {
    "real_clips": [
        {"clip": "side.mp4", "view": "side", "count": 20, "hand_count": 20, "confidence": "+-1", "within": True,
         "findings": [{"rule": "landing.balls_of_feet", "notes": "pass", "ours": "pass", "agrees": True,
                       "not_assessable": False, "reason": ""}]},
        {"clip": "negative.mp4", "view": "front", "count": 0, "hand_count": 0, "confidence": "exact", "within": True,
         "findings": []},
    ],
    "real_findings_agreement": 1.0,
    "loco": [],
}


def test_a_real_only_run_writes_the_real_clips_section_without_empty_synthetic_tables():
    md = to_markdown(dict(REAL, n_synthetic=0), False, "python -m bench.accuracy --real-only", real_only=True)
    assert md.startswith("## Accuracy on the real clips (hand counts and hand notes)")
    assert "`python -m bench.accuracy --real-only`" in md
    assert "Per synthetic clip" not in md and "count exact (synthetic)" not in md
    assert "| side.mp4 | side | 20 | 20 (+-1) | yes |" in md
    assert "| side.mp4 | landing.balls_of_feet | pass | pass | agrees |" in md
