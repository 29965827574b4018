"""A lost laptop's profile opens only with the tutor's PIN, a sign-in or an office code."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from hms_desktop.data.engine import open_database
from hms_desktop.data.keys import PIN_KDF_DEFAULT, KeyFile, KeyProblem, LockedOut, WrongSecret
from hms_desktop.data.models import AttendanceMark
from hms_desktop.domain.errors import DatabaseEncrypted, HmsError
from hms_desktop.services.register import mark_attendance
from hms_desktop.services.store import changes_waiting
from hms_desktop.services.unlock import (
    ProfileState,
    SecretRejected,
    check_new_secret,
    lift_lock_out_by_sign_in,
    profile_info,
    set_up_profile,
    unlock,
    unlock_with_recovery_code,
)
from hms_desktop.sync.client import CentralClient

from .conftest import CENTRAL_PASSWORD, MONDAY, TEST_PIN, whole_class

EMAIL = "samira.okaforreid@hms.invalid"


def wrong_tries(path: Path, n: int) -> list[str]:
    messages = []
    for _ in range(n):
        with pytest.raises(KeyProblem) as err:
            unlock(path, "111999")
        messages.append(str(err.value))
    return messages


def test_a_new_profile_asks_for_a_pin_and_opens_only_with_it(tmp_path):
    path = tmp_path / "profiles" / "tutor.sqlite3"
    assert profile_info(path).state is ProfileState.NEW
    db, setup = set_up_profile(path, TEST_PIN, TEST_PIN)
    db.close()
    assert len(setup.recovery_codes) == 10
    assert profile_info(path).state is ProfileState.LOCKED
    with pytest.raises(DatabaseEncrypted, match="unlock it with your PIN"):
        open_database(path)
    unlock(path, TEST_PIN).close()
    assert (Path(f"{path}.key").stat().st_mode & 0o777) == 0o600


def test_the_key_file_keeps_only_the_wrapped_key_at_the_real_kdf_cost(tmp_path, monkeypatch):
    from hms_desktop.data import keys

    monkeypatch.setattr(keys, "PIN_KDF", PIN_KDF_DEFAULT)
    path = tmp_path / "tutor.sqlite3"
    db, _ = set_up_profile(path, TEST_PIN)
    raw_key = bytes(db.key._raw)
    db.close()
    text = Path(f"{path}.key").read_text()
    data = json.loads(text)
    assert data["pin"]["kdf"] == "argon2id"
    assert data["pin"]["memory_kib"] >= 64 * 1024
    assert raw_key.hex() not in text and TEST_PIN not in text
    assert db.key.forgotten  # closing the store dropped the key from the process


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("12345", "at least 6 digits"),
        ("111111", "too easy"),
        ("234567", "too easy"),
        ("abc12", "a passphrase needs at least 10"),
    ],
)
def test_a_weak_pin_is_refused_in_words(secret, message):
    with pytest.raises(SecretRejected, match=message):
        check_new_secret(secret)


def test_a_long_passphrase_is_allowed_instead_of_a_pin(tmp_path):
    assert check_new_secret("violin case on the 38 bus") == "passphrase"
    path = tmp_path / "tutor.sqlite3"
    set_up_profile(path, "violin case on the 38 bus")[0].close()
    unlock(path, "violin case on the 38 bus").close()


def test_letters_typed_into_a_pin_are_explained_and_cost_no_try(profile_path):
    with pytest.raises(SecretRejected, match="digits only"):
        unlock(profile_path, "48291S")
    assert profile_info(profile_path).tries_left == 10


def test_ten_wrong_pins_lock_the_profile_even_for_the_right_pin(profile_path):
    messages = wrong_tries(profile_path, 10)
    assert "9 tries left" in messages[0] and "1 try left" in messages[8]
    assert "locked after 10 wrong tries" in messages[9]
    assert profile_info(profile_path).state is ProfileState.LOCKED_OUT
    with pytest.raises(LockedOut):
        unlock(profile_path, TEST_PIN)


def test_a_right_pin_starts_the_count_again(profile_path):
    wrong_tries(profile_path, 9)
    unlock(profile_path, TEST_PIN).close()
    with pytest.raises(WrongSecret, match="9 tries left"):
        unlock(profile_path, "111999")


def test_an_office_code_opens_a_locked_profile_with_every_unsent_mark_and_a_new_pin(
    demo_path,
):
    db, setup = set_up_profile(demo_path, TEST_PIN)
    group = whole_class(db)
    pupil = _first_pupil(db, group)
    mark_attendance(db, group.group_id, MONDAY, pupil, "AN")
    db.close()
    wrong_tries(demo_path, 10)

    code = setup.recovery_codes[3].lower().replace("-", " ")  # read out over the phone
    db = unlock_with_recovery_code(demo_path, code, "907153", "907153")
    with db.reading() as s:
        codes = {m.pupil_id: m.code for m in s.scalars(select(AttendanceMark))}
    assert changes_waiting(db) >= 1
    db.close()
    assert codes[pupil] == "AN"
    unlock(demo_path, "907153").close()
    with pytest.raises(WrongSecret):
        unlock(demo_path, TEST_PIN)  # the forgotten PIN is gone
    assert profile_info(demo_path).recovery_codes_left == 9

    with pytest.raises(KeyProblem, match="already been used"):
        unlock_with_recovery_code(demo_path, setup.recovery_codes[3], "907153")
    with pytest.raises(KeyProblem, match="not one of this laptop's"):
        unlock_with_recovery_code(demo_path, "AAAAA-BBBBB-CCCCC-DDDDD", "907153")


def test_signing_in_to_central_lifts_the_lock_out_for_this_tutor_only(profile_path, central):
    from hms_desktop.services.sync import enrol_device

    client = CentralClient(central.url)
    try:
        db = unlock(profile_path, TEST_PIN)
        enrol_device(db, client, EMAIL, password=CENTRAL_PASSWORD)
        db.close()
        unlock(profile_path, TEST_PIN).close()  # the key file now knows whose laptop it is
        wrong_tries(profile_path, 10)

        with pytest.raises(HmsError):
            lift_lock_out_by_sign_in(profile_path, client, EMAIL, "not-the-password")
        assert profile_info(profile_path).state is ProfileState.LOCKED_OUT

        lift_lock_out_by_sign_in(profile_path, client, EMAIL, CENTRAL_PASSWORD)
    finally:
        client.close()
    assert profile_info(profile_path).state is ProfileState.LOCKED
    unlock(profile_path, TEST_PIN).close()


def test_the_key_file_counts_a_try_before_checking_it(profile_path):
    """A crash during the check must not hand the try back."""
    kf = KeyFile.load(Path(f"{profile_path}.key"))
    assert kf.wrong_tries == 0
    wrong_tries(profile_path, 2)
    assert KeyFile.load(Path(f"{profile_path}.key")).wrong_tries == 2


def _first_pupil(db, entry) -> str:
    from hms_desktop.services.register import open_register

    return open_register(db, entry.group_id, MONDAY).rows[0].pupil_id


def test_an_encrypted_profile_keeps_its_marks_across_unlocks(profile_path):
    db = unlock(profile_path, TEST_PIN)
    group = whole_class(db)
    pupil = _first_pupil(db, group)
    mark_attendance(db, group.group_id, MONDAY, pupil, "L")
    db.close()
    db = unlock(profile_path, TEST_PIN)
    with db.reading() as s:
        codes = {m.pupil_id: m.code for m in s.scalars(select(AttendanceMark))}
    db.close()
    assert codes[pupil] == "L"


def test_the_idle_time_is_a_preference_within_the_services_limit(db):
    from hms_desktop.services.unlock import idle_lock_minutes, set_idle_lock_minutes

    assert idle_lock_minutes(db) == 5
    assert set_idle_lock_minutes(db, 10) == 10 and idle_lock_minutes(db) == 10
    with pytest.raises(HmsError, match="between 1 and 15 minutes"):
        set_idle_lock_minutes(db, 60)
    assert idle_lock_minutes(db) == 10


def test_a_laptop_never_signed_in_cannot_be_lifted_by_anyones_sign_in(tmp_path, central):
    profile_path = tmp_path / "laptop" / "tutor.sqlite3"
    set_up_profile(profile_path, TEST_PIN)[0].close()
    wrong_tries(profile_path, 10)
    client = CentralClient(central.url)
    try:
        with pytest.raises(HmsError, match="recovery code"):
            lift_lock_out_by_sign_in(profile_path, client, EMAIL, CENTRAL_PASSWORD)
    finally:
        client.close()
    assert profile_info(profile_path).state is ProfileState.LOCKED_OUT
