"""A certificate's QR opens central's public verification page, which confirms it (issue 12, 9)."""

import shutil
import subprocess

import httpx
import pytest
from pypdf import PdfReader

from hms_desktop.services.certificates import group_pupils, plan_certificates, print_certificates
from hms_desktop.services.sync import enrol_device, sync_now
from hms_desktop.sync.client import CentralClient

from .conftest import CENTRAL_PASSWORD, MONDAY, whole_class


def test_a_printed_certificates_qr_opens_centrals_page_that_confirms_it(db, central, tmp_path):
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        pytest.skip("zbar-tools and poppler-utils are installed by `make system-deps`")
    client = CentralClient(central.url)
    try:
        enrol_device(db, client, "samira.okaforreid@hms.invalid", password=CENTRAL_PASSWORD)
        lesson = whole_class(db)
        pupils = group_pupils(db, lesson.group_id, MONDAY)[:1]
        plan = plan_certificates(db, "recognition", pupils, MONDAY)
        print_certificates(db, plan, tmp_path / "one.pdf", MONDAY)
        sync_now(db, client)
    finally:
        client.close()
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(tmp_path / "one.pdf"), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    url = subprocess.run(
        ["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert url.startswith(f"{central.url}/verify/")
    text = PdfReader(tmp_path / "one.pdf").pages[0].extract_text()
    with httpx.Client() as http:
        answer = http.get(url)
    assert answer.status_code == 200
    assert "End-of-term" in answer.text or "recognition" in answer.text.lower()
    name = plan.ready[0].pupil_name
    assert name.split()[0] in text and name.split()[0] not in answer.text  # initials only
