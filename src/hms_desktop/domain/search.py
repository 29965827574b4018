"""Forgiving name search: one key per pupil that ignores case and accents in every script and
also holds the name's usual Latin spelling, so "ozturk" finds Öztürk and "giorgos" Γιώργος."""

import unicodedata

from anyascii import anyascii


def fold(text: str) -> str:
    """Case- and accent-free form of ``text`` in its own script (Öztürk → ozturk, Дмитрий →
    дмитрии); the name as stored is never altered."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(*names: str | None) -> str:
    """What a pupil is found by: every name part folded, and again transliterated to Latin
    (anyascii) — Łucja → lucja, 王小明 → wangxiaoming."""
    parts: list[str] = []
    for name in names:
        if not name:
            continue
        for form in (fold(name), fold(anyascii(name))):
            if form and form not in parts:
                parts.append(form)
    return " ".join(parts)


def search_terms(typed: str) -> list[str]:
    """The words a search must all find, folded like the keys (a Latin spelling or the name in
    its own script both work). Wildcards typed by the tutor are taken literally."""
    return [fold(word) for word in typed.split() if fold(word)]
