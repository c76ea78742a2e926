"""One module per schema revision (Alembic), oldest first: ``0001_initial``, ``0002_wider_status``."""
