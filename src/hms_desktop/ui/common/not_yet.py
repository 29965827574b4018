"""A page whose feature is not built yet says so plainly, and what to use meanwhile."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class NotYetPage(QWidget):
    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        body = QLabel(text)
        body.setWordWrap(True)
        body.setObjectName("notYet")
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(heading)
        layout.addWidget(body)
