"""Help: the keyboard shortcuts, and About (version, where the data lives, font licences)."""

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from hms_desktop import APP_NAME, __version__, paths

SHORTCUTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Anywhere",
        (
            ("Ctrl+1 … Ctrl+4", "Today, Pupils, Ensembles, Sync"),
            ("Ctrl+R", "Sync now"),
            (
                "Ctrl+Z / Ctrl+Shift+Z",
                "Undo / redo the last change (a register, roster, performance or progress)",
            ),
            ("F1", "This list"),
            ("Ctrl+Q", "Quit (nothing is lost: every mark is already saved)"),
        ),
    ),
    (
        "Today",
        (
            ("F6 / Shift+F6 (or Ctrl+Tab)", "Lesson list → register → lesson note"),
            ("↑ ↓ then Enter", "Choose a lesson, then go into its register"),
            ("Alt+← / Alt+→ / Alt+Home", "Previous day / next day / today"),
            ("Ctrl+U", "Registers not yet taken on earlier days"),
            ("Ctrl+F", "Find a group to cover"),
        ),
    ),
    (
        "In a register",
        (
            ("P L AN AU SE SN SX TA MU WD", "Set the code; the next pupil is selected"),
            ("Esc / Backspace", "Cancel a half-typed code / take back its last letter"),
            ("F8 or Alt+A", "Every pupil not yet marked is present"),
            ("Enter", "Comment on the selected pupil's mark"),
            ("Delete", "Clear the selected pupil's mark"),
            ("Alt+U / Alt+S / Alt+W", "Tutor absent / school closed / turned away"),
            ("Alt+C", "Certificates for the group"),
            ("Menu key or Shift+F10", "Actions for the selected pupil"),
            ("Alt+N", "Lesson note"),
        ),
    ),
    (
        "Ensembles",
        (
            ("Ctrl+↑ / Ctrl+↓", "Change places with the member in the seat in front / behind"),
            ("F2", "Move the selected member to any section and seat"),
            ("Insert / Delete", "Add a member / mark the selected member as left"),
            ("Alt+T / Alt+S / Alt+D", "Roster / rehearsal register / its day"),
            ("P L LE AN AU", "Rehearsal codes (L then Space for late)"),
            ("Alt+C then Alt+N", "Performances: record a new one"),
            ("Space / F2 (Performances)", "Performed or not / change the title, date or venue"),
            ("Alt+P", "Print: seating plan, roster, paper register"),
        ),
    ),
)


def shortcuts_html() -> str:
    parts = []
    for section, rows in SHORTCUTS:
        parts.append(f"<h3>{escape(section)}</h3><table cellpadding='3'>")
        parts.extend(
            f"<tr><td><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>" for keys, what in rows
        )
        parts.append("</table>")
    return "".join(parts)


class TextDialog(QDialog):
    def __init__(self, title: str, html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(600, 480)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)


def shortcuts_dialog(parent: QWidget | None = None) -> TextDialog:
    return TextDialog("Keyboard shortcuts", shortcuts_html(), parent)


def about_html(db_path: str, font_families: list[str]) -> str:
    ofl = paths.resource("fonts", "OFL.txt")
    licence = ofl.read_text(encoding="utf-8") if ofl.exists() else ""
    fonts = ", ".join(sorted(set(font_families))) or "none found"
    return (
        f"<h2>{escape(APP_NAME)} {escape(__version__)}</h2>"
        "<p>Registers, progress and ensembles for the peripatetic tutors of Hackney Music "
        "Service.</p>"
        f"<p><b>Database:</b> {escape(db_path)}<br>(owner-only; holds children's personal data)</p>"
        f"<p><b>Bundled fonts:</b> {escape(fonts)} — SIL Open Font License 1.1:</p>"
        f"<p style='font-size:8pt; white-space: pre-wrap'>{escape(licence)}</p>"
    )


def about_dialog(
    db_path: str, font_families: list[str], parent: QWidget | None = None
) -> TextDialog:
    return TextDialog(f"About {APP_NAME}", about_html(db_path, font_families), parent)


__all__ = ["about_dialog", "shortcuts_dialog"]
