"""The region admin's editors in a real browser: resending a staff account's
invitation from the staff page, and a category's questions and an agency's
emergency responder on the categories page (typed and clicked, saved,
shown again after a reload, checked through the API, then restored: the
stack is shared by the session)."""
import uuid

import requests

REGION = "/v1/regions/trenggalek"
TOPIC = "arn:aws:sns:ap-southeast-3:123456789012:aduan-responder-bpbd"


def _call(stack, method, path, role="region_admin", **kwargs):
    return requests.request(method, f"{stack.base}{path}", headers=stack.headers(role), timeout=30, **kwargs)


def _api(stack, method, path, role="region_admin", **kwargs):
    response = _call(stack, method, path, role, **kwargs)
    assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text}"
    return response.json()


def _staff_entry(stack, username):
    cursor = None
    while True:
        page = _api(stack, "GET", f"{REGION}/staff", params={"limit": 100, **({"cursor": cursor} if cursor else {})})
        for entry in page["items"]:
            if entry["username"] == username:
                return entry
        cursor = page["next_cursor"]
        if not cursor:
            return None


def test_resending_an_invitation_from_the_staff_page(watched, console_stack):
    username = f"undangan-{uuid.uuid4().hex[:8]}@trenggalek.demo"
    name = f"Staf Menunggu {uuid.uuid4().hex[:4]}"
    _api(console_stack, "POST", f"{REGION}/accounts", json={"name": name, "role": "verifier", "email": username})
    assert _staff_entry(console_stack, username)["awaiting_first_sign_in"] is True
    page = watched.page
    watched.sign_in(console_stack, "region_admin")
    page.get_by_role("link", name="Akun staf").click()
    table = page.get_by_test_id("staff-table")
    table.wait_for()
    row = table.locator(f"tr[data-username='{username}']")
    assert row.get_by_test_id("staff-awaiting").inner_text() == "Belum pernah masuk"
    # an account that has signed in has nothing to resend
    officer = console_stack.state()["accounts"]["officer"]
    assert table.locator(f"tr[data-username='{officer}'] [data-action=resend-invite]").count() == 0
    assert table.locator(f"tr[data-username='{officer}'] [data-testid=staff-awaiting]").count() == 0

    row.get_by_role("button", name=f"Kirim ulang undangan: {name}").click()
    notice = row.get_by_test_id("staff-resent")
    notice.wait_for()
    assert f"Undangan dikirim ulang ke e-mail {username}" in notice.inner_text()
    watched.shot("admin-staff-resend")
    entry = _staff_entry(console_stack, username)
    assert entry["active"] is True and entry["awaiting_first_sign_in"] is True

    # the same in English, through the switch
    page.get_by_test_id("lang-switch").click()
    row = page.get_by_test_id("staff-table").locator(f"tr[data-username='{username}']")
    row.get_by_role("button", name=f"Resend invitation: {name}").click()
    row.get_by_test_id("staff-resent").filter(has_text="Invitation e-mailed again").wait_for()


def _restore(stack, agencies, categories):
    """The tables as they were: questions and responders sent explicitly (left out, the API keeps them)."""
    _api(stack, "PUT", f"{REGION}/categories", json={"categories": [
        {"code": k["code"], "name_id": k["name"]["id"], "name_en": k["name"]["en"], "agency": k["agency"],
         "team": k["team"], "active": True, "emergency": k["emergency"], "questions": k.get("questions", [])}
        for k in categories]})
    _api(stack, "PATCH", REGION, json={"agencies": [
        {"code": a["code"], "name_id": a["name"]["id"], "name_en": a["name"]["en"], "responder": a.get("responder")}
        for a in agencies]})


def test_a_question_and_a_responder_are_edited_saved_and_shown_again(watched, console_stack):
    agencies_before = _api(console_stack, "GET", REGION)["agencies"]
    categories_before = _api(console_stack, "GET", f"{REGION}/categories")["categories"]
    assert any(a["code"] == "bpbd" for a in agencies_before)
    page = watched.page
    watched.sign_in(console_stack, "region_admin")
    try:
        watched.open("/admin/categories")
        agencies = page.get_by_test_id("agencies-form")
        agencies.wait_for()
        bpbd = agencies.locator("[data-code='bpbd']")

        # a topic outside aduan-responder-*: the API's 400, in the page's language, next to the agency
        bpbd.locator("select[name='responder_kind.bpbd']").select_option("sns")
        bpbd.get_by_label("ARN topik SNS").fill("arn:aws:sns:ap-southeast-3:123456789012:topik-lain")
        agencies.get_by_role("button", name="Simpan dinas").click()
        error = bpbd.get_by_test_id("row-error").get_by_role("alert")
        error.wait_for()
        assert error.get_attribute("data-error-code") == "invalid_pattern"
        assert "Format kolom 'agencies" in error.inner_text() and "topic_arn" in error.inner_text()
        watched.shot("admin-responder-400")
        watched.problems[:] = [p for p in watched.problems if "status of 400" not in p]
        assert "responder" not in next(a for a in _api(console_stack, "GET", REGION)["agencies"]
                                       if a["code"] == "bpbd")

        # the duty phone instead
        bpbd.locator("select[name='responder_kind.bpbd']").select_option("sms")
        bpbd.get_by_label("Nomor ponsel siaga (+628…)").fill("+6281234567890")
        agencies.get_by_role("button", name="Simpan dinas").click()
        page.get_by_test_id("agencies-saved").get_by_role("status").filter(has_text="Tersimpan.").wait_for()

        # a question for jalan-rusak: a required pick-one with two answers; banjir an emergency (it is by default)
        form = page.get_by_test_id("categories-form")
        road = form.locator("[data-code='jalan-rusak']")
        road.get_by_role("button", name="Tambah pertanyaan").click()
        question = road.locator(".admin-question").last
        question.get_by_label("Kode pertanyaan").fill("kedalaman")
        question.locator("select[name^='q_type.']").select_option("singlevaluelist")
        question.get_by_label("Pertanyaan (Indonesia)").fill("Seberapa dalam lubangnya?")
        question.get_by_label("Pertanyaan (Inggris)").fill("How deep is the hole?")
        question.get_by_label("Wajib dijawab").check()
        value = question.locator(".admin-value").first
        value.get_by_label("Kunci").fill("dangkal")
        value.get_by_label("Nama (Indonesia)").fill("Dangkal")
        value.get_by_label("Nama (Inggris)").fill("Shallow")
        question.get_by_role("button", name="Tambah pilihan").click()
        value = question.locator(".admin-value").last
        value.get_by_label("Kunci").fill("dalam")
        value.get_by_label("Nama (Indonesia)").fill("Dalam")
        value.get_by_label("Nama (Inggris)").fill("Deep")
        form.get_by_role("button", name="Simpan kategori").click()
        page.get_by_test_id("categories-saved").get_by_role("status").filter(has_text="Tersimpan.").wait_for()

        # through the API
        bpbd_after = next(a for a in _api(console_stack, "GET", REGION)["agencies"] if a["code"] == "bpbd")
        assert bpbd_after["responder"] == {"kind": "sms", "to": "+6281234567890"}
        after = {k["code"]: k for k in _api(console_stack, "GET", f"{REGION}/categories")["categories"]}
        assert after["jalan-rusak"]["questions"] == [{
            "code": "kedalaman", "datatype": "singlevaluelist", "description_id": "Seberapa dalam lubangnya?",
            "description_en": "How deep is the hole?", "required": True,
            "values": [{"key": "dangkal", "name_id": "Dangkal", "name_en": "Shallow"},
                       {"key": "dalam", "name_id": "Dalam", "name_en": "Deep"}]}]
        assert after["banjir"]["emergency"] is True
        service = requests.get(f"{console_stack.base}/open311/v2/services/jalan-rusak.json",
                               params={"jurisdiction_id": "trenggalek"}, timeout=30).json()
        assert [a["code"] for a in service["attributes"]] == ["kedalaman"]

        # after a reload the page shows them
        page.reload()
        form = page.get_by_test_id("categories-form")
        road = form.locator("[data-code='jalan-rusak']")
        question = road.locator(".admin-question").first
        question.wait_for()
        assert question.get_by_label("Kode pertanyaan").input_value() == "kedalaman"
        assert question.locator("select[name^='q_type.']").input_value() == "singlevaluelist"
        assert question.get_by_label("Wajib dijawab").is_checked()
        assert question.locator(".admin-value").count() == 2
        assert form.locator("[data-code='banjir'] input[name='emergency.banjir']").is_checked()
        bpbd = page.get_by_test_id("agencies-form").locator("[data-code='bpbd']")
        assert bpbd.locator("select[name='responder_kind.bpbd']").input_value() == "sms"
        assert bpbd.get_by_label("Nomor ponsel siaga (+628…)").input_value() == "+6281234567890"
        road.scroll_into_view_if_needed()
        watched.shot("admin-category-questions")

        # removing the question again by clicking
        question.get_by_role("button", name="Hapus pertanyaan: kedalaman").click()
        form.get_by_role("button", name="Simpan kategori").click()
        page.get_by_test_id("categories-saved").get_by_role("status").filter(has_text="Tersimpan.").wait_for()
        after = {k["code"]: k for k in _api(console_stack, "GET", f"{REGION}/categories")["categories"]}
        assert "questions" not in after["jalan-rusak"]
    finally:
        _restore(console_stack, agencies_before, categories_before)
    assert _api(console_stack, "GET", REGION)["agencies"] == agencies_before
    assert _api(console_stack, "GET", f"{REGION}/categories")["categories"] == categories_before
