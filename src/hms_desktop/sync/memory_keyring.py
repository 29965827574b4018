"""A keychain in memory, for tests, benchmarks and screenshots running beside the reference
server. The desktop app never selects it (and never keeps tokens in files)."""

from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A keychain in memory, for tests, benchmarks and screenshots running beside the
    reference server. The desktop app never uses it (and never keeps tokens in files)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)
