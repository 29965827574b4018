"""Attendance codes (defined once in hms_protocol, shared with central) and how they are typed."""

from hms_protocol.reference import DEFAULT_CODES, CodeScope, CodeSpec

__all__ = ["DEFAULT_CODES", "CodeScope", "CodeSpec", "match_typed_code"]


def match_typed_code(typed: str, codes: list[str]) -> tuple[str | None, bool]:
    """Resolve what a tutor has typed so far on a register row.

    Returns ``(code, more_possible)``: ``code`` is the code to set now (an exact match that no
    longer code extends, or a prefix only one code starts with), ``more_possible`` says whether
    typing on could still reach a code. ``P`` sets Present at once; ``A`` waits for ``N``/``U``.
    """
    typed = typed.upper()
    starting = [c for c in codes if c.startswith(typed)]
    if not starting:
        return None, False
    if len(starting) == 1:
        return starting[0], False
    if typed in starting and all(c == typed for c in starting):
        return typed, False
    return None, True
