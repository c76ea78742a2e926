"""Corrections in the frame review: what "Not a jump" and "Add a missed jump here" do at a
frame, in the store's terms (a removed jump by its index in the original detection, an
added one by its frame), their undo, and the words the page shows."""

from __future__ import annotations

import pytest

from analysis.store.posedata import PoseData
from analysis.store.reopen import report_from_dict
from review import corrections as rc


def shown(store, sid, analysed):
    """The corrected report as the page shows it (rebuilt from the store, no analysis)."""
    st = store.session(sid)
    return report_from_dict(st.corrected, PoseData.from_report(analysed)), st.corrected


def test_in_a_jumps_flight_it_can_be_removed_but_nothing_added(two_runs):
    j = two_runs.jumps.jumps[4]
    acts = rc.frame_actions(two_runs, None, [], j.takeoff_frame + 1)
    assert acts.jump == 4 and acts.remove == [{"action": "remove", "jump": 4}]
    assert acts.remove_label == f"Not a jump: remove jump 5 (take-off at frame {j.takeoff_frame})"
    assert acts.add is None and "inside jump 5" in acts.add_why and "counted already" in acts.add_why


def test_between_runs_a_jump_can_be_added_and_none_removed(two_runs):
    a, b = two_runs.jumps.jumps[9], two_runs.jumps.jumps[10]
    gap = (a.landing_frame + b.takeoff_frame) // 2
    acts = rc.frame_actions(two_runs, None, [{"action": "remove", "jump": 0}], gap)
    assert acts.add == [{"action": "remove", "jump": 0}, {"action": "add", "frame": gap}]
    assert acts.add_label == f"Add a missed jump at frame {gap}"
    assert acts.jump is None and acts.remove is None and "between jumps" in acts.remove_why


def test_removing_uses_the_original_index_after_earlier_corrections(store, two_runs):
    sid = store.save_session(two_runs)
    store.save_corrections(sid, [{"action": "remove", "jump": 0}])
    report, corrected = shown(store, sid, two_runs)
    # The shown jump 1 (0-based 0) is the detection's jump 2 (index 1).
    acts = rc.frame_actions(report, corrected, corrected["corrections"], report.jumps.jumps[0].takeoff_frame)
    assert acts.remove[-1] == {"action": "remove", "jump": 1}
    after = store.save_corrections(sid, acts.remove)
    assert after["summary"]["jump_count"] == 18


def test_not_a_jump_on_an_added_jump_undoes_the_addition(store, two_runs):
    a, b = two_runs.jumps.jumps[9], two_runs.jumps.jumps[10]
    gap = (a.landing_frame + b.takeoff_frame) // 2
    sid = store.save_session(two_runs)
    store.save_corrections(sid, [{"action": "remove", "jump": 3}, {"action": "add", "frame": gap}])
    report, corrected = shown(store, sid, two_runs)
    assert report.jumps.count == 20
    acts = rc.frame_actions(report, corrected, corrected["corrections"], gap)
    assert acts.remove_label == f"Not a jump: undo the jump added at frame {gap}"
    assert [c["action"] for c in acts.remove] == ["remove"]
    assert acts.add is None  # the added jump is there already
    assert store.save_corrections(sid, acts.remove)["summary"]["jump_count"] == 19


def test_a_removed_jump_cannot_be_removed_twice(two_runs):
    frame = two_runs.jumps.jumps[2].takeoff_frame
    acts = rc.frame_actions(two_runs, None, [{"action": "remove", "jump": 2}], frame)
    assert acts.remove is None and acts.remove_why == "this jump is removed already"


def test_corrections_in_words_undo_and_the_summary(store, two_runs):
    a, b = two_runs.jumps.jumps[9], two_runs.jumps.jumps[10]
    gap = (a.landing_frame + b.takeoff_frame) // 2
    sid = store.save_session(two_runs)
    items = [{"action": "remove", "jump": 3}, {"action": "add", "frame": gap}]
    store.save_corrections(sid, items)
    report, corrected = shown(store, sid, two_runs)
    t0 = float(two_runs.t_s[0])
    words = rc.describe(corrected["corrections"], corrected, report)
    j3 = two_runs.jumps.jumps[3]
    assert words[0] == f"Jump 4 of the detection is not a jump (take-off at frame {j3.takeoff_frame}, " \
                       f"{j3.takeoff_s - t0:.2f} s)"
    assert words[1] == f"Missed jump added at frame {gap} ({float(two_runs.t_s[gap]) - t0:.2f} s)"
    assert rc.undo(corrected["corrections"], 0) == [corrected["corrections"][1]]
    with pytest.raises(ValueError, match="expected a correction 0-1, got 5"):
        rc.undo(corrected["corrections"], 5)
    text = rc.summary_change(corrected)
    assert text.startswith("Corrected by hand (2 corrections): 20 jumps; the detection found 20.")
    assert rc.summary_change(None) is None
