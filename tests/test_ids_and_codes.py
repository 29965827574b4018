"""Domain rules: deterministic ids, typed codes, names shown as stored."""

import uuid
from datetime import date

from hms_desktop.domain.codes import DEFAULT_CODES, match_typed_code
from hms_desktop.domain.ids import HMS_NAMESPACE, lesson_id, mark_id
from hms_desktop.domain.names import clean_text, display_name, sort_key

TUITION = [c.code for c in DEFAULT_CODES if c.tuition]


def test_lesson_and_mark_ids_are_the_same_on_every_laptop():
    day = date(2026, 11, 23)
    assert lesson_id("g1", day) == lesson_id("g1", day)
    assert lesson_id("g1", day) == str(uuid.uuid5(HMS_NAMESPACE, "lesson|g1|2026-11-23"))
    assert lesson_id("g1", day) != lesson_id("g1", date(2026, 11, 30))
    assert mark_id("l1", "p1") != mark_id("l1", "p2")


def test_a_letter_only_one_code_starts_with_sets_it_at_once():
    assert match_typed_code("p", TUITION) == ("P", False)
    assert match_typed_code("T", TUITION) == ("TA", False)


def test_a_letter_several_codes_start_with_waits_for_the_next():
    assert match_typed_code("A", TUITION) == (None, True)
    assert match_typed_code("AN", TUITION) == ("AN", False)
    assert match_typed_code("S", TUITION) == (None, True)
    assert match_typed_code("SX", TUITION) == ("SX", False)


def test_letters_that_make_no_code_are_refused():
    assert match_typed_code("Q", TUITION) == (None, False)
    assert match_typed_code("AX", TUITION) == (None, False)


def test_default_codes_carry_the_pay_and_billing_flags_of_the_design():
    codes = {c.code: c for c in DEFAULT_CODES}
    assert (codes["SN"].tutor_paid, codes["SN"].billable, codes["SN"].makeup_owed) == (
        False,
        False,
        True,
    )
    assert (codes["SX"].tutor_paid, codes["SX"].billable) == (True, False)
    assert codes["MU"].clears_makeup and not codes["MU"].billable
    assert not codes["LE"].tuition and codes["LE"].ensemble


def test_names_are_shown_exactly_and_in_the_family_order():
    assert display_name("Adébáyọ̀", "Ọlátúnjí", None, False) == "Adébáyọ̀ Ọlátúnjí"
    assert display_name("Thị Hằng", "Nguyễn", None, True) == "Nguyễn Thị Hằng"
    assert display_name("Zeynep", "Öztürk", "Zey", False) == "Zey Öztürk"
    assert sort_key("Öztürk") < sort_key("Pat")


def test_control_characters_are_dropped_from_typed_text_but_line_breaks_kept():
    assert clean_text("  late\x00 bus\x1b\nok ", 100) == "late bus\nok"
