"""Synthetic jump-rope clips with exactly known ground truth (see ``synthetic/README.md``).

Never imported by ``analysis/``.
"""

#: Bumped whenever the rendering or the truth changes for the same parameters, so the
#: suite regenerates clips made by older code (it is part of the params hash).
RENDER_VERSION = "2"
