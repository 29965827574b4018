"""How a pupil's name is shown: exactly as stored, in the order the family writes it."""

import unicodedata


def display_name(given: str, family: str, preferred: str | None, family_first: bool) -> str:
    first = preferred or given
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
