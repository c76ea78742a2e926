"""Synthetic jump-rope clips with exactly known ground truth (see ``synthetic/README.md``).

Never imported by ``analysis/``.
"""

#: Bumped whenever the rendering or the truth changes for the same parameters, so the
#: suite regenerates clips made by older code (it is part of the params hash).
#: 2: truth schema 2 (every rule judged on the figure with the analysis's thresholds, slow
#: motion, movements); the frames of older parameters are unchanged.
RENDER_VERSION = "2"
