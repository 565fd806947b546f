"""The region admin's pages in a real browser: the agencies and categories
tables (edited by typing and clicking, checked through the API afterwards,
then restored: the stack is shared by the session), the staff accounts
(the directory, a new account, deactivating and reactivating it), who may
see them, accessibility and the phone layout."""
import re
import uuid

import requests

REGION = "/v1/regions/trenggalek"


def _api(stack, method, path, role="region_admin", **kwargs):
    response = requests.request(method, f"{stack.base}{path}", headers=stack.headers(role), timeout=30, **kwargs)
    assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text}"
    return response.json()


def _agencies(stack):
    return _api(stack, "GET", REGION)["agencies"]


def _categories(stack):
    return _api(stack, "GET", f"{REGION}/categories")["categories"]


def _staff(stack):
    """Every entry of the directory, following the pages."""
    items, cursor = [], None
    while True:
        page = _api(stack, "GET", f"{REGION}/staff", params={"limit": 100, **({"cursor": cursor} if cursor else {})})
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def _restore(stack, agencies, categories):
    """Put the tables back as they were (categories first: they name the agencies)."""
    _api(stack, "PUT", f"{REGION}/categories", json={"categories": [
        {"code": k["code"], "name_id": k["name"]["id"], "name_en": k["name"]["en"], "agency": k["agency"],
         "team": k["team"], "active": True, "emergency": k["emergency"]} for k in categories]})
    _api(stack, "PATCH", REGION, json={"agencies": [
        {"code": a["code"], "name_id": a["name"]["id"], "name_en": a["name"]["en"]} for a in agencies]})


def _no_page_overflow(page) -> list[str]:
    """Elements sticking out to the right of the viewport, outside a container that scrolls them."""
    return page.evaluate("""() => {
        const width = window.innerWidth, out = [];
        if (document.documentElement.scrollWidth > width) out.push('document ' + document.documentElement.scrollWidth);
        for (const el of document.querySelectorAll('main *')) {
            const r = el.getBoundingClientRect();
            if (!r.width || r.right <= width + 0.5) continue;
            let scrolled = false;
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) { scrolled = true; break; }
            }
            if (!scrolled) out.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
        }
        return out.slice(0, 10);
    }""")


def test_renaming_a_category_and_adding_an_agency_by_clicking_saves_them(watched, console_stack):
    agencies_before, categories_before = _agencies(console_stack), _categories(console_stack)
    code = f"uji-{uuid.uuid4().hex[:6]}"
    road = next(k for k in categories_before if k["code"] == "jalan-rusak")
    renamed = f"Jalan rusak dan berlubang {code}"
    page = watched.page
    watched.sign_in(console_stack, "region_admin")
    assert page.get_by_role("link", name="Kategori & dinas").is_visible()
    try:
        page.get_by_role("link", name="Kategori & dinas").click()
        agencies = page.get_by_test_id("agencies-form")
        agencies.wait_for()
        add = page.get_by_test_id("agency-add")
        add.get_by_label("Kode").fill(code)
        add.get_by_label("Nama (Indonesia)").fill("Dinas Uji Coba")
        add.get_by_label("Nama (Inggris)").fill("Trial Agency")
        add.get_by_role("button", name="Tambahkan ke daftar").click()
        agencies.locator(f"[data-code='{code}']").wait_for()
        agencies.get_by_role("button", name="Simpan dinas").click()
        page.get_by_test_id("agencies-saved").get_by_role("status").filter(has_text="Tersimpan.").wait_for()
        added = next((a for a in _agencies(console_stack) if a["code"] == code), None)
        assert added == {"code": code, "name": {"id": "Dinas Uji Coba", "en": "Trial Agency"}}
        assert len(_agencies(console_stack)) == len(agencies_before) + 1
        # the saved table is shown again from the API
        assert agencies.locator(f"[data-code='{code}'] input[name='name_en.{code}']").input_value() == "Trial Agency"

        # the category: a new name, and the agency just added (offered by its select once saved)
        form = page.get_by_test_id("categories-form")
        row = form.locator("[data-code='jalan-rusak']")
        row.get_by_label("Nama (Indonesia)").fill(renamed)
        row.get_by_label("Dinas").select_option(code)
        form.get_by_role("button", name="Simpan kategori").click()
        page.get_by_test_id("categories-saved").get_by_role("status").filter(has_text="Tersimpan.").wait_for()
        after = {k["code"]: k for k in _categories(console_stack)}
        assert after["jalan-rusak"]["name"] == {"id": renamed, "en": road["name"]["en"]}
        assert after["jalan-rusak"]["agency"] == code
        assert after["jalan-rusak"]["agency_name"] == {"id": "Dinas Uji Coba", "en": "Trial Agency"}
        assert after["jalan-rusak"]["team"] == road["team"]
        assert set(after) == {k["code"] for k in categories_before}, "no other category changed"
        # the reloaded form shows what the API now says (not a cached list)
        assert row.get_by_label("Nama (Indonesia)").input_value() == renamed
        assert row.get_by_label("Dinas").input_value() == code
    finally:
        _restore(console_stack, agencies_before, categories_before)
    assert _agencies(console_stack) == agencies_before
    assert _categories(console_stack) == categories_before


def test_removing_an_agency_still_in_use_shows_the_409_in_the_pages_language(watched, console_stack):
    agencies_before = _agencies(console_stack)
    assert any(k["agency"] == "dpupr" for k in _categories(console_stack))
    page = watched.page
    watched.sign_in(console_stack, "region_admin")
    watched.open("/admin/categories")

    def remove_dpupr_and_save(remove: str, save: str):
        form = page.get_by_test_id("agencies-form")
        form.wait_for()
        form.locator("[data-code='dpupr']").get_by_role("button", name=remove).click()
        form.get_by_role("button", name=save).click()
        alert = form.get_by_role("alert")
        alert.wait_for()
        return alert

    alert = remove_dpupr_and_save("Hapus", "Simpan dinas")
    assert alert.get_attribute("data-error-code") == "agency_in_use"
    assert "Dinas dpupr masih dipakai kategori aktif" in alert.inner_text()
    assert _agencies(console_stack) == agencies_before
    watched.shot("admin-categories-409")

    page.get_by_test_id("lang-switch").click()
    page.get_by_role("heading", name="Categories & agencies").wait_for()
    alert = remove_dpupr_and_save("Remove", "Save agencies")
    assert alert.get_attribute("data-error-code") == "agency_in_use"
    assert "Agency dpupr is still used by active categories" in alert.inner_text()
    assert _agencies(console_stack) == agencies_before
    # the browser logs the refused request's status: that is the API answering, not a console error
    assert any("409" in p for p in watched.problems)
    watched.problems[:] = [p for p in watched.problems if "status of 409" not in p]


def test_the_staff_page_lists_the_directory_creates_and_deactivates_an_account(watched, console_stack):
    page = watched.page
    watched.sign_in(console_stack, "region_admin")
    page.get_by_role("link", name="Akun staf").click()
    table = page.get_by_test_id("staff-table")
    table.wait_for()
    listed = table.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.username)")
    directory = _staff(console_stack)
    assert sorted(listed) == sorted(e["username"] for e in directory)
    assert len(listed) == len(set(listed))
    officer = console_stack.state()["accounts"]["officer"]
    row = table.locator(f"tr[data-username='{officer}']")
    assert "Petugas" in row.inner_text() and "Aktif" in row.inner_text()
    assert "Dinas Pekerjaan Umum" in row.inner_text()
    # one's own account has no deactivate button
    own = table.locator(f"tr[data-username='{console_stack.state()['accounts']['region_admin']}']")
    assert own.locator("[data-action=deactivate]").count() == 0

    name = f"Staf Uji {uuid.uuid4().hex[:6]}"
    username = f"staf-{uuid.uuid4().hex[:8]}@trenggalek.demo"
    form = page.get_by_test_id("staff-create-form")
    form.get_by_label("Nama", exact=True).fill(name)
    form.get_by_label("Peran").select_option("officer")
    form.get_by_label("E-mail").fill(username)
    # a select's name is its label and its chosen option ("Dinas –")
    form.get_by_label(re.compile(r"^Dinas\b")).select_option("dpupr")
    form.get_by_role("button", name="Buat akun").click()
    created = form.get_by_test_id("staff-created")
    created.wait_for()
    assert username in created.inner_text()
    assert "Kata sandi sementara dikirim ke e-mail" in form.get_by_role("status").inner_text()
    entry = next((e for e in _staff(console_stack) if e["username"] == username), None)
    assert entry is not None, "the new account is in the directory"
    assert (entry["name"], entry["role"], entry["agency"], entry["active"]) == (name, "officer", "dpupr", True)

    row = table.locator(f"tr[data-username='{username}']")
    row.wait_for()  # the list was read again
    row.get_by_role("button", name="Nonaktifkan").click()
    page.locator(f"tr[data-username='{username}'][data-active='false']").wait_for()
    assert "Nonaktif" in row.inner_text()
    entry = next(e for e in _staff(console_stack) if e["username"] == username)
    assert entry["active"] is False
    row.get_by_role("button", name="Aktifkan kembali").click()
    page.locator(f"tr[data-username='{username}'][data-active='true']").wait_for()
    assert next(e for e in _staff(console_stack) if e["username"] == username)["active"] is True

    # a phone number is a username too ("+" in the path)
    phone = f"+62812{uuid.uuid4().int % 10**7:07d}"
    _api(console_stack, "POST", f"{REGION}/accounts", json={"name": f"Verifikator {phone}", "role": "verifier",
                                                             "phone": phone})
    page.reload()
    page.locator(f"tr[data-username='{phone}'] [data-action=deactivate]").click()
    page.locator(f"tr[data-username='{phone}'][data-active='false']").wait_for()
    assert next(e for e in _staff(console_stack) if e["username"] == phone)["active"] is False


def test_an_officer_gets_neither_the_admin_menu_nor_the_admin_pages(watched, console_stack):
    page = watched.page
    watched.sign_in(console_stack, "officer")
    assert page.get_by_role("link", name="Kotak masuk").is_visible()
    for label in ("Kategori & dinas", "Akun staf"):
        assert page.get_by_role("link", name=label).count() == 0
    for path in ("/admin/categories", "/admin/staff"):
        watched.open(path)
        page.get_by_role("alert").filter(has_text="Halaman ini bukan untuk peran Anda.").wait_for()
        assert page.get_by_test_id("agencies-form").count() == 0
        assert page.get_by_test_id("staff-table").count() == 0
        assert page.get_by_test_id("staff-create-form").count() == 0


def test_admin_pages_pass_axe_and_are_photographed(watched, console_stack):
    watched.sign_in(console_stack, "region_admin")
    watched.open("/admin/categories")
    watched.page.get_by_test_id("categories-form").locator("[data-code]").first.wait_for()
    assert watched.axe_critical() == []
    watched.shot("admin-categories")
    watched.open("/admin/staff")
    watched.page.get_by_test_id("staff-table").wait_for()
    watched.page.get_by_test_id("staff-create-form").get_by_label("Kelurahan/desa").locator("option").nth(1).wait_for(
        state="attached")
    assert watched.axe_critical() == []
    watched.shot("admin-staff")


def test_phone_admin_pages_fit_360_pixels(watched, console_stack):
    page = watched.page
    watched.sign_in(console_stack, "region_admin")
    watched.open("/admin/staff")
    table = page.get_by_test_id("staff-table")
    table.wait_for()
    watched.page.get_by_test_id("staff-create-form").get_by_label("Kelurahan/desa").locator("option").nth(1).wait_for(
        state="attached")
    assert page.evaluate("window.innerWidth") == 360
    assert _no_page_overflow(page) == []
    # the rows are cards on a phone: the table does not scroll sideways in its box either
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    assert watched.axe_critical() == []
    watched.shot("phone-admin-staff")
    watched.open("/admin/categories")
    page.get_by_test_id("categories-form").locator("[data-code]").first.wait_for()
    assert _no_page_overflow(page) == []
    watched.shot("phone-admin-categories")
