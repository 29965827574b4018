"""The profile's data key: made at random, kept only wrapped (argon2id over the PIN, AES-GCM).

The key file sits beside the database (``tutor.sqlite3.key``, owner-only JSON, replaced
atomically). It holds no personal data: the KDF's salt and costs, the data key wrapped under the
PIN and under each one-time office recovery code, the count of wrong tries and the lock-out
flag. Whoever copies it still has to guess the PIN at argon2id's cost per guess.
"""

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hms_desktop.domain.errors import HmsError
from hms_desktop.paths import make_private_dirs

FORMAT = 1
KEY_BYTES = 32
MAX_WRONG_TRIES = 10
_AAD = b"HMS Tutor data key v1"
RECOVERY_CODES = 10
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on the phone


@dataclass(frozen=True)
class KdfCost:
    time_cost: int
    memory_kib: int
    parallelism: int


# ~0.1-0.3 s on a tutor's laptop: each guess at a stolen key file costs the same.
PIN_KDF_DEFAULT = KdfCost(time_cost=3, memory_kib=128 * 1024, parallelism=2)
PIN_KDF = PIN_KDF_DEFAULT
# Recovery codes carry 100 random bits: a light KDF is enough.
CODE_KDF = KdfCost(time_cost=1, memory_kib=8 * 1024, parallelism=1)


class KeyProblem(HmsError):
    """The PIN, passphrase or recovery code could not open the profile; nothing was changed."""


class WrongSecret(KeyProblem):
    def __init__(self, message: str, tries_left: int):
        super().__init__(message)
        self.tries_left = tries_left


class LockedOut(KeyProblem):
    pass


class KeyFileMissing(KeyProblem):
    pass


def key_file_of(db_path: Path) -> Path:
    return Path(f"{db_path}.key")


class DataKey:
    """The raw data key, in a bytearray so that ``forget()`` can overwrite it when the app locks.
    (Python may still hold copies it made on the way, e.g. the hex text given to SQLCipher; they
    leave with the process.)"""

    def __init__(self, raw: bytes):
        self._raw = bytearray(raw)

    def sqlcipher_pragma(self) -> str:
        if not self._raw:
            raise HmsError("The profile is locked: unlock it with your PIN first.")
        return f"PRAGMA key = \"x'{self._raw.hex()}'\""

    def forget(self) -> None:
        for i in range(len(self._raw)):
            self._raw[i] = 0
        self._raw = bytearray()

    @property
    def forgotten(self) -> bool:
        return not self._raw

    def __repr__(self) -> str:  # never print the key
        return "DataKey(…)"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode())


def _derive(secret: str, salt: bytes, cost: KdfCost) -> bytes:
    return hash_secret_raw(
        secret.encode("utf-8"),
        salt,
        time_cost=cost.time_cost,
        memory_cost=cost.memory_kib,
        parallelism=cost.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def _wrap(secret: str, key: bytes, cost: KdfCost) -> dict[str, Any]:
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapped = AESGCM(_derive(secret, salt, cost)).encrypt(nonce, key, _AAD)
    return {
        "kdf": "argon2id",
        "time_cost": cost.time_cost,
        "memory_kib": cost.memory_kib,
        "parallelism": cost.parallelism,
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "wrapped": _b64(wrapped),
    }


def _unwrap(secret: str, box: dict[str, Any]) -> bytes | None:
    cost = KdfCost(box["time_cost"], box["memory_kib"], box["parallelism"])
    kek = _derive(secret, _unb64(box["salt"]), cost)
    try:
        return AESGCM(kek).decrypt(_unb64(box["nonce"]), _unb64(box["wrapped"]), _AAD)
    except InvalidTag:
        return None


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _code_digest(code: str) -> str:
    return hashlib.sha256(f"hms-recovery|{normalise_code(code)}".encode()).hexdigest()


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(20))
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


@dataclass
class KeyFile:
    """The parsed key file; ``save()`` replaces it on disk atomically."""

    path: Path
    kind: str  # "pin" | "passphrase"
    pin_box: dict[str, Any]
    wrong_tries: int = 0
    locked_out: bool = False
    recovery: list[dict[str, Any]] = field(default_factory=list)
    tutor_id: str | None = None  # whose sign-in may lift a lock-out
    server: str | None = None

    @classmethod
    def load(cls, path: Path) -> "KeyFile":
        try:
            data = json.loads(path.read_text("utf-8"))
        except FileNotFoundError as err:
            raise KeyFileMissing(
                "This profile's key file is missing, so it can't be unlocked. Nothing was "
                "changed. Ask the music service office for help."
            ) from err
        except (ValueError, OSError) as err:
            raise KeyProblem(
                "This profile's key file is damaged, so it can't be unlocked. Nothing was "
                "changed. Ask the music service office for help."
            ) from err
        return cls(
            path=path,
            kind=data["kind"],
            pin_box=data["pin"],
            wrong_tries=data.get("wrong_tries", 0),
            locked_out=data.get("locked_out", False),
            recovery=data.get("recovery", []),
            tutor_id=data.get("tutor_id"),
            server=data.get("server"),
        )

    def save(self) -> None:
        data = {
            "format": FORMAT,
            "kind": self.kind,
            "pin": self.pin_box,
            "wrong_tries": self.wrong_tries,
            "locked_out": self.locked_out,
            "recovery": self.recovery,
            "tutor_id": self.tutor_id,
            "server": self.server,
        }
        write_private_atomically(self.path, json.dumps(data, indent=1).encode())

    @property
    def tries_left(self) -> int:
        return max(0, MAX_WRONG_TRIES - self.wrong_tries)

    def recovery_codes_left(self) -> int:
        return sum(1 for box in self.recovery if "wrapped" in box)


def write_private_atomically(path: Path, data: bytes) -> None:
    """Write an owner-only file so that a crash leaves the old or the new one, never half."""
    make_private_dirs(path.parent)
    tmp = path.with_name(f"{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory; its renames are journalled
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_key_file(db_path: Path, secret: str, kind: str) -> tuple[DataKey, list[str]]:
    """Make a fresh random data key, wrap it under ``secret`` and new recovery codes, save."""
    raw = secrets.token_bytes(KEY_BYTES)
    codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
    key_file = KeyFile(
        path=key_file_of(db_path),
        kind=kind,
        pin_box=_wrap(secret, raw, PIN_KDF),
        recovery=[_recovery_box(code, raw) for code in codes],
    )
    key_file.save()
    return DataKey(raw), codes


def _recovery_box(code: str, raw: bytes) -> dict[str, Any]:
    return {"digest": _code_digest(code), **_wrap(normalise_code(code), raw, CODE_KDF)}


def unwrap_with_secret(key_file: KeyFile, secret: str) -> DataKey:
    """Count the try on disk first (a crash mid-check costs a try, never gives one back)."""
    if key_file.locked_out:
        raise LockedOut(LOCKED_OUT)
    key_file.wrong_tries += 1
    key_file.save()
    raw = _unwrap(secret, key_file.pin_box)
    if raw is None:
        if key_file.wrong_tries >= MAX_WRONG_TRIES:
            key_file.locked_out = True
            key_file.save()
            raise LockedOut(LOCKED_OUT)
        left = key_file.tries_left
        raise WrongSecret(
            f"That {'PIN' if key_file.kind == 'pin' else 'passphrase'} is not right. "
            f"{left} {'try' if left == 1 else 'tries'} left before the profile locks.",
            left,
        )
    key_file.wrong_tries = 0
    key_file.save()
    return DataKey(raw)


LOCKED_OUT = (
    "This profile is locked after 10 wrong tries. Sign in to the music service, or enter a "
    "recovery code from the office, to open it again. Every unsent mark is kept."
)


def unwrap_with_recovery_code(key_file: KeyFile, code: str) -> DataKey:
    """Open with a one-time office code; the code is spent (its wrapped key is erased)."""
    digest = _code_digest(code)
    for box in key_file.recovery:
        if box["digest"] != digest:
            continue
        if "wrapped" not in box:
            raise KeyProblem(
                "That recovery code has already been used. Ask the office for a new one."
            )
        raw = _unwrap(normalise_code(code), box)
        if raw is None:  # pragma: no cover - the digest matched, so only a damaged file
            break
        for name in ("wrapped", "nonce", "salt"):
            box.pop(name, None)
        box["used"] = True
        return DataKey(raw)
    raise KeyProblem(
        "That recovery code is not one of this laptop's. Check it with the office; each code "
        "is 20 letters and digits."
    )


def rewrap(key_file: KeyFile, key: DataKey, secret: str, kind: str) -> None:
    """A new PIN or passphrase for the same data key (the database is not re-encrypted)."""
    key_file.kind = kind
    key_file.pin_box = _wrap(secret, bytes(key._raw), PIN_KDF)
    key_file.wrong_tries = 0
    key_file.locked_out = False
    key_file.save()


def new_recovery_codes(key_file: KeyFile, key: DataKey) -> list[str]:
    """Replace every recovery code with a fresh set (the old ones stop working)."""
    codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
    key_file.recovery = [_recovery_box(code, bytes(key._raw)) for code in codes]
    key_file.save()
    return codes
