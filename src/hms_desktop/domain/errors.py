"""Errors a tutor may see: each carries a message written for a person, not a programmer."""


class HmsError(Exception):
    """Base of every error the app reports to a tutor. ``str(err)`` is the tutor's message."""


class InvalidMark(HmsError):
    """A mark that cannot be saved as typed; nothing was changed."""


class UnknownCode(InvalidMark):
    pass


class CommentRequired(InvalidMark):
    pass


class PupilNotInGroup(InvalidMark):
    pass


class NotFound(HmsError):
    pass


class DatabaseProblem(HmsError):
    """The local store cannot be used as asked; nothing was changed."""


class DatabaseMissing(DatabaseProblem):
    pass


class DatabaseLocked(DatabaseProblem):
    pass


class DatabaseReadOnly(DatabaseProblem):
    pass


class DatabaseCorrupt(DatabaseProblem):
    pass


class DatabaseTooNew(DatabaseProblem):
    pass


class DatabaseEncrypted(DatabaseProblem):
    """The store is encrypted and was opened without its key."""


class SqliteTooOld(DatabaseProblem):
    pass


class FutureLesson(InvalidMark):
    """A mark for a lesson that has not happened yet (cancellations ahead are allowed)."""


class MarksWouldBeReplaced(HmsError):
    """A whole-lesson status would overwrite marks already taken: the tutor must confirm."""

    def __init__(self, message: str, count: int) -> None:
        super().__init__(message)
        self.count = count
