"""The reference central service: implements the HMS sync protocol so the desktop app can be run
and tested end to end on one machine. FastAPI + SQLAlchemy 2; SQLite file by default."""
