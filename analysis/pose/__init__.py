"""Pose: the landmark vocabulary (``landmarks``), the MediaPipe backends behind one
protocol (``estimators``, the only code that knows MediaPipe's result shapes), following
one jumper among several people (``people``) and the pose stage itself, in one process
(``stage``) or several (``parallel``)."""
