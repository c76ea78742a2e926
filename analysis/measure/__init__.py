"""Pure measurements on a pose series: signal cleaning (``signals``), pixels to
centimetres (``scale``), per-frame kinematics and derivatives (``kinematics``), jump events
(``jumps``), and camera view and capture quality (``view``)."""
