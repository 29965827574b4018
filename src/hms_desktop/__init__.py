"""HMS Tutor: offline-first registers and progress for Hackney Music Service tutors."""

__version__ = "0.1.0"
APP_NAME = "HMS Tutor"
