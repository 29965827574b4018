"""The bundled fonts, registered with Qt so the screen shows every name the page can print."""

from PySide6.QtGui import QFontDatabase, QGuiApplication

from hms_desktop import logs, paths

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
_registered: list[str] = []


def register_bundled_fonts() -> list[str]:
    """Add every font under resources/fonts to Qt's database (once); returns their families.
    Qt then falls back to them for any script the system's own fonts lack."""
    if _registered:
        return list(_registered)
    folder = paths.resource("fonts")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)
    for path in files:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            logs.log.warning("a bundled font could not be loaded: %s", path.name)
            continue
        for family in QFontDatabase.applicationFontFamilies(font_id):
            if family not in _registered:
                _registered.append(family)
    _use_as_fallbacks(_registered)
    return list(_registered)


def _use_as_fallbacks(families: list[str]) -> None:
    """The system's own font first, then the bundled ones: a name in a script the system
    lacks (or a laptop with no fonts at all) still shows in its letters, never as boxes."""
    app = QGuiApplication.instance()
    if app is None:
        return
    font = QGuiApplication.font()
    latin_first = sorted(families, key=lambda f: (f != "Noto Sans", "Serif" in f, f))
    font.setFamilies([font.family(), *(f for f in latin_first if f != font.family())])
    QGuiApplication.setFont(font)
