"""Moved: the demo world is hms_demo, the laptop's demo database hms_desktop.demo. Kept for the
one import in ui/selftest.py until the ui/ restructuring points it at hms_desktop.demo."""

from hms_desktop.demo import seed_demo

__all__ = ["seed_demo"]
