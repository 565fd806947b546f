"""Reports by SMS, the pure part (``chalicelib.domain.sms``): reading
LAPOR/CEK/help, categories and desa names (repeated ones included), the
replies' length, and both signatures."""
import base64
import hashlib
import hmac

import pytest

from chalicelib.domain import areas, regions
from chalicelib.domain import sms as rules
from chalicelib.domain.regions import RegionConfig


def trenggalek() -> RegionConfig:
    regency = areas.regency("35.03")
    return RegionConfig.from_record({
        "region_id": "trenggalek", "name": "Kabupaten Trenggalek", "kemendagri_code": "35.03",
        "time_zone": "WIB", "categories": regions.default_categories(), "agencies": regions.DEFAULT_AGENCIES,
        "areas": regency.areas()})


REGION = trenggalek()


def code_of(name, kecamatan=None):
    return next(code for code, (n, _, kec) in REGION.kelurahan.items()
                if n == name and (kecamatan is None or kec == kecamatan))


def test_a_report_names_category_desa_and_description():
    parsed = rules.parse("LAPOR sampah Karangtengah tumpukan sampah di depan pasar", REGION)
    assert parsed == rules.NewReport(category="sampah", description="tumpukan sampah di depan pasar",
                                     kelurahan_code=code_of("Karangtengah"))


@pytest.mark.parametrize("word,category", [
    ("sampah", "sampah"), ("SAMPAH", "sampah"), ("jalan-rusak", "jalan-rusak"), ("jalanrusak", "jalan-rusak"),
    ("Jalan_Rusak", "jalan-rusak"), ("jalan", "jalan-rusak"), ("parkir", "parkir-liar"), ("banjir", "banjir"),
    ("Kebakaran", "kebakaran"), ("fire", "kebakaran"), ("garbage", "sampah"), ("pkl", "pkl"), ("odgj", "odgj"),
])
def test_the_category_is_one_word_by_code_name_or_the_codes_first_part(word, category):
    assert rules.match_category(word, REGION) == category


@pytest.mark.parametrize("word", ["lubang", "", "-", "jalanan", "rusak", "🙂"])
def test_a_word_that_names_no_category_or_several_is_unknown(word):
    assert rules.match_category(word, REGION) is None


def test_an_unknown_category_is_answered_with_help_naming_the_word():
    parsed = rules.parse("LAPOR lubang Karangtengah jalan berlubang", REGION)
    assert parsed == rules.Help(reason="unknown_category", word="lubang")
    text = rules.help_text(REGION, parsed.reason, parsed.word)
    assert "'lubang' tidak dikenal" in text and "LAPOR <kategori> <desa> <uraian>" in text and len(text) <= 306


@pytest.mark.parametrize("text", [
    "lapor sampah karangtengah banyak sampah", "Lapor: Sampah KARANGTENGAH banyak sampah",
    "LAPOR#sampah#Karangtengah#banyak sampah", "  LAPOR   sampah  desa Karangtengah banyak sampah ",
    "LAPOR sampah \"Karang Tengah\" banyak sampah", "LAPOR sampah Karang-Tengah banyak sampah",
    "LAPOR sampah Karang Tengah banyak sampah", "LAPOR sampah Kárangtengah banyak sampah",
    "LAPOR sampah Karangtengah/Panggul banyak sampah",
])
def test_keywords_and_desa_names_ignore_case_accents_spaces_and_hyphens(text):
    parsed = rules.parse(text, REGION)
    assert isinstance(parsed, rules.NewReport), parsed
    assert parsed.kelurahan_code == code_of("Karangtengah") and parsed.description == "banyak sampah"


def test_a_repeated_desa_name_is_answered_with_its_kecamatan_and_no_report():
    parsed = rules.parse("LAPOR sampah Sukorejo banyak sampah", REGION)
    assert isinstance(parsed, rules.Ambiguous)
    expected = sorted(kec for n, _, kec in REGION.kelurahan.values() if n == "Sukorejo")
    assert list(parsed.kecamatan) == expected and len(expected) >= 2
    text = rules.ambiguous_text(parsed, parsed.category)
    assert text.startswith(f"Ada {len(expected)} desa Sukorejo: kec. {expected[0]}, kec. {expected[1]}")
    assert f"LAPOR sampah Sukorejo/{expected[0]}" in text and len(text) <= 160


@pytest.mark.parametrize("name", ["Besuki", "Wonocoyo", "Depok", "Sawahan", "Masaran", "Pakel", "Karanganyar",
                                  "Watuagung", "Pandean", "Sukorejo"])
def test_every_repeated_name_is_settled_by_its_kecamatan(name):
    kecamatan = sorted(kec for n, _, kec in REGION.kelurahan.values() if n == name)
    assert len(kecamatan) >= 2
    assert isinstance(rules.parse(f"LAPOR sampah {name} x", REGION), rules.Ambiguous)
    for kec in kecamatan:
        for written in (f"{name}/{kec}", f"{name}.{kec}", f"{name.lower()}/{kec.upper()}"):
            parsed = rules.parse(f"LAPOR sampah {written} ada tumpukan", REGION)
            assert parsed == rules.NewReport(category="sampah", description="ada tumpukan",
                                             kelurahan_code=code_of(name, kec)), written
    # a kecamatan that is not one of them: the candidates again
    assert isinstance(rules.parse(f"LAPOR sampah {name}/Atlantis x", REGION), rules.Ambiguous)


def test_an_unknown_desa_keeps_the_whole_text_for_the_verifier():
    parsed = rules.parse("LAPOR jalan Gg.Mawar dekat masjid berlubang", REGION)
    assert parsed == rules.NewReport(category="jalan-rusak", description="Gg.Mawar dekat masjid berlubang",
                                     unknown_place="Gg.Mawar")
    text = rules.created_text("1a2b3c4d", REGION, None, parsed.unknown_place)
    assert "1a2b3c4d" in text and "tidak dikenal" in text and "petugas" in text and len(text) <= 160


def test_a_report_without_description_or_category_is_answered_with_help():
    assert rules.parse("LAPOR sampah Karangtengah", REGION) == rules.Help(reason="no_description")
    assert rules.parse("LAPOR sampah", REGION) == rules.Help(reason="no_description")
    assert rules.parse("LAPOR", REGION) == rules.Help(reason="no_category")
    assert rules.parse("LAPOR   ", REGION) == rules.Help(reason="no_category")


@pytest.mark.parametrize("text", ["", "   ", "halo", "INFO", "bantuan", "HELP", "?", "🙂🙂", "REG SPASI",
                                  "LAPORsampah Besuki", "مرحبا", "\u202eLAPOR", "\x00\x01"])
def test_anything_else_is_help(text):
    assert rules.parse(text, REGION) == rules.Help(reason="help")


def test_a_text_longer_than_ten_sms_is_refused_with_help():
    assert rules.parse("LAPOR sampah Karangtengah " + "x" * 10_000, REGION) == rules.Help(reason="too_long")


def test_emoji_rtl_and_control_characters_in_a_description():
    parsed = rules.parse("LAPOR sampah Karangtengah 🙂 مرحبا\x00 ok\x07", REGION)
    assert isinstance(parsed, rules.NewReport) and parsed.description == "🙂 مرحبا ok"


@pytest.mark.parametrize("text,code", [
    ("CEK 1a2b3c4d", "1a2b3c4d"), ("cek #1A2B3C4D", "1a2b3c4d"), ("Cek: 1a2b3c4d.", "1a2b3c4d"),
    ("CEK " + "1a2b3c4d" + "0" * 24, "1a2b3c4d"), ("CEK", None), ("CEK 1234", None), ("CEK zzzzzzzz", None),
    ("CEK 1a2b3c4d5", None),
])
def test_a_check_reads_the_tracking_number(text, code):
    assert rules.parse(text, REGION) == rules.Check(code=code)


def test_replies_fit_one_sms():
    assert len(rules.status_text("1a2b3c4d", "in_process", "Dinas Pekerjaan Umum dan Penataan Ruang")) <= 160
    assert len(rules.not_found_text("1a2b3c4d")) <= 160 and len(rules.not_found_text(None)) <= 160
    assert len(rules.too_many_text()) <= 160
    code = code_of("Karangtengah")
    assert len(rules.created_text("1a2b3c4d", REGION, code, None, emergency=True)) <= 160
    assert rules.tracking_code("1a2b3c4d" + "0" * 24) == "1a2b3c4d"


@pytest.mark.parametrize("raw,number", [
    ("+6281234567890", "+6281234567890"), ("081234567890", "+6281234567890"), ("6281234567890", "+6281234567890"),
    ("+1 (415) 555-0100", "+14155550100"), ("TELKOMSEL", None), ("", None), (None, None), ("+12", None),
])
def test_the_sender_number(raw, number):
    assert rules.sender_number(raw) == number


def test_twilio_signature_matches_twilios_published_example():
    # The example of Twilio's own request-validator tests (twilio-python, tests/unit/test_request_validator.py)
    params = {"CallSid": ["CA1234567890ABCDE"], "Caller": ["+14158675309"], "Digits": ["1234"],
              "From": ["+14158675309"], "To": ["+18005551212"]}
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert rules.twilio_signature("12345", url, params) == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert rules.twilio_valid("12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", ("https://other/", url), params)
    assert not rules.twilio_valid("12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", ("https://other/",), params)
    assert not rules.twilio_valid(None, "x", (url,), params)
    # the same, written out: base64(HMAC-SHA1(token, url + sorted name+value))
    payload = url + "".join(k + v[0] for k, v in sorted(params.items()))
    assert base64.b64encode(hmac.new(b"12345", payload.encode(), hashlib.sha1).digest()).decode() \
        == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
