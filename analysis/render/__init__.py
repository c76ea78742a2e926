"""Drawing the analysis: ``draw.FormAnnotator.annotate(frame, report, index) -> frame`` and
the annotated H.264 video, thumbnails and single-frame seeks (``overlay``)."""
