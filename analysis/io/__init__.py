"""The only readers and writers of files: video frames (OpenCV), the soundtrack (PyAV),
safe names for paths derived from user input, the per-session upload workspace and CSV
tables."""
