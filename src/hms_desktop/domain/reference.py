"""Reference data every laptop starts with: instruments and progress frameworks (defined once in
hms_protocol, so every device and central agree on their ids before any sync)."""

from hms_protocol.reference import (
    FRAMEWORKS,
    INSTRUMENTS,
    framework_id,
    framework_level_id,
    instrument_id,
)

__all__ = ["FRAMEWORKS", "INSTRUMENTS", "framework_id", "framework_level_id", "instrument_id"]
