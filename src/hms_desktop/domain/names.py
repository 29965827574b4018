"""How a pupil's name is shown: exactly as stored, in the order and spacing the family writes it."""

import unicodedata

from fontTools import unicodedata as script_data

# Scripts in which a name is written family name first with no space between the parts
# (Chinese 王小明, Japanese 山田花子, Korean 김민준).
_UNSPACED_SCRIPTS = {"Hani", "Hira", "Kana", "Hang", "Bopo"}


def written_unspaced(text: str) -> bool:
    """True for text in scripts written without spaces between words (Chinese, Japanese…)."""
    scripts = {script_data.script(ch) for ch in text} - {"Zyyy", "Zinh", "Zzzz"}
    return bool(scripts) and scripts <= _UNSPACED_SCRIPTS


def display_name(given: str, family: str, preferred: str | None, family_first: bool) -> str:
    first = preferred or given
    if family_first and written_unspaced(family + first):
        return f"{family}{first}"
    return f"{family} {first}" if family_first else f"{first} {family}"


def sort_key(name: str) -> str:
    """Order names alphabetically ignoring accents (Öztürk sorts with Oz…); never alters them."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def clean_text(text: str, limit: int) -> str:
    """Drop control characters (but keep line breaks) and trim; the caller checks the limit."""
    kept = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    )
    return kept.strip()[: limit + 1]
