"""Synthetic jump-rope clips with exactly known ground truth (see ``synthetic/README.md``).

Never imported by ``analysis/``.
"""

#: Bumped whenever the rendering or the truth changes for the same parameters, so the
#: suite regenerates clips made by older code (it is part of the params hash).
#: 2: truth schema 2 (every rule judged on the figure with the analysis's thresholds, slow
#: motion, movements); the frames of older parameters are unchanged.
#: 3: the rope has a length (``rope_length_cm``, default standing height + 90 cm) and its
#: loop is drawn from it: over the head it clears the head by ~20-25 cm (it went through
#: the head before, apex at ~0.88 of the stature) and at the bottom it lies on the floor
#: in front of and under the feet. Every clip with a rope changes.
RENDER_VERSION = "3"
