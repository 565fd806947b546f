"""The console's shell in a real browser: it loads from the API's origin,
signs staff in through Cognito (including a first sign-in's new password),
switches language, and passes an accessibility scan."""
import uuid

import boto3

from devstack.stack import REGION


def test_public_map_page_loads_without_errors_and_passes_axe(watched):
    watched.open("/")
    watched.page.get_by_role("heading", level=1).wait_for()
    assert watched.page.evaluate("document.documentElement.lang") == "id"
    assert watched.axe_critical() == []


def test_language_switch_turns_the_shell_english(watched):
    watched.open("/signin")
    watched.page.get_by_test_id("signin-form").wait_for()
    assert watched.page.get_by_role("button", name="Masuk").is_visible()
    watched.page.get_by_test_id("lang-switch").click()
    watched.page.get_by_role("button", name="Sign in").wait_for()
    assert watched.page.evaluate("document.documentElement.lang") == "en"


def test_wrong_password_is_explained_in_the_pages_language(watched, console_stack):
    watched.open("/signin")
    form = watched.page.get_by_test_id("signin-form")
    form.locator("input[name=username]").fill(console_stack.state()["accounts"]["verifier"])
    form.locator("input[name=password]").fill("not-the-password")
    form.locator("button[type=submit]").click()
    alert = watched.page.get_by_role("alert")
    alert.wait_for()
    assert "kata sandi salah" in alert.inner_text()
    # Cognito answers 400 to a wrong password: the browser logs that request's status, which is not a console error
    watched.problems[:] = [p for p in watched.problems if "400" not in p]
    assert watched.page.evaluate("sessionStorage.getItem('aduan.session')") is None


def test_staff_sign_in_keeps_the_token_out_of_the_url_and_shows_the_staff_menu(watched, console_stack):
    watched.sign_in(console_stack, "verifier")
    page = watched.page
    assert "token" not in page.url.lower() and "eyJ" not in page.url
    assert page.evaluate("JSON.parse(sessionStorage.getItem('aduan.session')).me.role") == "verifier"
    assert page.get_by_role("link", name="Verifikasi").is_visible()
    watched.shot("signed-in-verifier")
    page.get_by_test_id("signout").click()
    page.get_by_test_id("signin-link").wait_for()
    assert page.evaluate("sessionStorage.getItem('aduan.session')") is None


def test_first_sign_in_of_an_account_the_admin_created_asks_for_a_new_password(watched, console_stack):
    state = console_stack.state()
    cognito = boto3.client("cognito-idp", endpoint_url=state["aws_endpoint"], region_name=REGION,
                           aws_access_key_id="local", aws_secret_access_key="local")
    username = f"staf-{uuid.uuid4().hex[:8]}@trenggalek.demo"
    # what POST /v1/regions/{id}/accounts does: a temporary password, the account in FORCE_CHANGE_PASSWORD
    cognito.admin_create_user(UserPoolId=state["user_pool_id"], Username=username, TemporaryPassword="Sementara-123",
                              MessageAction="SUPPRESS", UserAttributes=[
                                  {"Name": "email", "Value": username}, {"Name": "email_verified", "Value": "true"},
                                  {"Name": "name", "Value": "Staf Baru"},
                                  {"Name": "custom:region_id", "Value": "trenggalek"}])
    cognito.admin_add_user_to_group(UserPoolId=state["user_pool_id"], Username=username, GroupName="verifier")
    page = watched.page
    watched.open("/signin")
    form = page.get_by_test_id("signin-form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill("Sementara-123")
    form.locator("button[type=submit]").click()
    new = page.get_by_test_id("new-password-form")
    new.wait_for()
    watched.shot("signin-new-password")
    new.locator("input[name=new_password]").fill("Baru-sekali-456")
    new.locator("input[name=confirm]").fill("Baru-sekali-456")
    new.locator("button[type=submit]").click()
    page.get_by_test_id("signout").wait_for()
    assert page.evaluate("JSON.parse(sessionStorage.getItem('aduan.session')).me.username") == username
    status = cognito.admin_get_user(UserPoolId=state["user_pool_id"], Username=username)["UserStatus"]
    assert status == "CONFIRMED"
