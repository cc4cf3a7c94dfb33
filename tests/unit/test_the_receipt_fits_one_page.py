"""The e-Mitra receipt stays one page however long what was filed is: the longest name and
subject the input rules allow (in Hindi, or in wide Latin letters without a space to break
at), a long description, the longest desk code, a long link; nothing is drawn off the page,
and its QR code still reads back as the link."""

from __future__ import annotations

import msgspec
import pypdfium2
import pytest
import zxingcpp

from api import receipt
from domain import master_data
from domain.directory import Directory, MasterData
from domain.inputs import LONG_TEXT, NAME, SHORT_TEXT
from domain.values import Channel, Complainant, Identity, Role
from infra.run.directory import SAMPLE_DIRECTORY
from tests.support import START
from tests.unit import world


@pytest.mark.parametrize(
    ("name", "subject", "description"),
    [
        ("राजकुमारी देवी ", "राशन कार्ड में नाम जोड़ना ", "मेरे राशन कार्ड में "),
        ("W", "M", "W"),
    ],
    ids=["hindi", "wide-latin"],
)
def test_the_longest_filing_still_prints_on_one_page_with_a_readable_qr_code(
    name: str, subject: str, description: str
) -> None:
    directory = Directory.create(world.ROOT, START)
    sample = msgspec.json.decode(SAMPLE_DIRECTORY.read_bytes(), type=MasterData)
    directory.load(master_data.checked(sample), world.ROOT, START)
    kiosk = Identity(id="op", role=Role.OPERATOR, desk="EMITRA-KPB-" + "9" * 53)

    def longest(text: str, most: int) -> str:
        return (text * most)[:most].strip()

    complaint = world.file(
        directory,
        kiosk,
        district="KPB",
        department="FOOD",
        category="ration-card",
        complainant=Complainant(name=longest(name, NAME.max_length), mobile="9876543210"),
        subject=longest(subject, SHORT_TEXT.max_length),
        description=longest(description, LONG_TEXT.max_length),
        channel=Channel.EMITRA,
    )
    link = "https://sampark.rajasthan.gov.in/status/KPB-2026-0000001?key=" + "k" * 140
    document = pypdfium2.PdfDocument(receipt.pdf(complaint, directory, link))
    assert len(document) == 1
    page = document[0]
    lowest = min(thing.get_bounds()[1] for thing in page.get_objects())
    assert lowest > 10  # points above the paper's edge: nothing drawn off the page
    (found,) = zxingcpp.read_barcodes(page.render(scale=3).to_pil())
    assert found.text == link
    document.close()
