"""Two-factor login (TOTP with recovery codes) for officers and auditors when enforced: set up
with a QR code and a confirming code, a code page after the password, unverified sessions
refused everywhere (pages, admin, API), the API's token login asks for otp_code."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from funding.accounts.lockout import LOCKED_OUT
from funding.accounts.middleware import TWO_FACTOR_REQUIRED
from funding.accounts.two_factor import RECOVERY_CODES
from funding.accounts.views import WAIT_FOR_CODE, WRONG_CODE
from funding.api.auth import OTP_CODE_INVALID, OTP_CODE_REQUIRED, TWO_FACTOR_SETUP_REQUIRED

from .conftest import browser

pytestmark = pytest.mark.django_db

SETUP = "accounts:two-factor-setup"
VERIFY = "accounts:two-factor-verify"
API_LOGIN = "/api/v1/auth/login/"


@pytest.fixture
def enforced(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["officer", "auditor"]
    # django-otp slows down retries after a wrong code; the tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{value:0{device.digits}d}"


def with_device(user) -> tuple[TOTPDevice, list[str]]:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery")
    codes = ["aaaa1111", "bbbb2222"]
    for code in codes:
        StaticToken.objects.create(device=recovery, token=code)
    return device, codes


def test_without_enforcement_officers_need_no_second_factor(officer):
    assert browser(officer).get(reverse("applications:list")).status_code == 200


@pytest.mark.usefixtures("enforced")
def test_an_officer_without_a_device_is_sent_to_set_one_up(officer):
    response = browser(officer).get(reverse("applications:list"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse(SETUP)}?next=%2Fapplications%2F"


@pytest.mark.usefixtures("enforced")
def test_setup_shows_a_qr_code_and_the_key_and_confirms_with_a_code(officer):
    client = browser(officer)

    page = client.get(reverse(SETUP), {"next": "/applications/"})

    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    html = page.content.decode()
    assert "<svg" in html
    assert page.context["secret"].replace(" ", "") in html.replace(" ", "")
    wrong = client.post(reverse(SETUP), {"code": "000000", "next": "/applications/"})
    assert wrong.status_code == 200
    assert str(WRONG_CODE) in wrong.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()

    done = client.post(reverse(SETUP), {"code": code_of(device), "next": "/applications/"})

    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == RECOVERY_CODES == len(set(codes))
    assert all(code in done.content.decode() for code in codes)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("applications:list")).status_code == 200


@pytest.mark.usefixtures("enforced")
def test_with_a_device_a_code_is_asked_after_the_password(officer):
    device, _codes = with_device(officer)
    client = browser(None)
    login = client.post(
        "/accounts/login/", {"username": "olga-officer", "password": "pw-olga-officer"}
    )
    assert login.status_code == 302

    refused = client.get(reverse("applications:list"))
    assert refused["Location"] == f"{reverse(VERIFY)}?next=%2Fapplications%2F"
    wrong = client.post(reverse(VERIFY), {"code": "123456", "next": "/applications/"})
    assert str(WRONG_CODE) in wrong.content.decode()

    right = client.post(reverse(VERIFY), {"code": code_of(device), "next": "/applications/"})

    assert right.status_code == 302
    assert right["Location"] == "/applications/"
    assert client.get(reverse("applications:list")).status_code == 200


@pytest.mark.usefixtures("enforced")
def test_a_recovery_code_works_once(officer):
    _device, codes = with_device(officer)
    first = browser(officer)
    assert first.post(reverse(VERIFY), {"code": codes[0].upper()}).status_code == 302
    assert first.get(reverse("applications:list")).status_code == 200

    second = browser(officer)
    reused = second.post(reverse(VERIFY), {"code": codes[0]})

    assert reused.status_code == 200
    assert str(WRONG_CODE) in reused.content.decode()
    assert second.get(reverse("applications:list")).status_code == 302
    assert StaticToken.objects.filter(token=codes[1]).exists()


def test_a_recovery_code_is_no_failure_against_the_app(officer, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["officer"]  # django-otp's slow-down left on
    device, codes = with_device(officer)
    assert browser(officer).post(reverse(VERIFY), {"code": codes[0]}).status_code == 302

    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    assert browser(officer).post(reverse(VERIFY), {"code": code_of(device)}).status_code == 302


def test_after_wrong_codes_the_page_says_how_long_to_wait(officer, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["officer"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 30  # 30 s after the first wrong code
    device, _codes = with_device(officer)
    client = browser(officer)
    client.post(reverse(VERIFY), {"code": "000000"})

    refused = client.post(reverse(VERIFY), {"code": code_of(device)})

    assert refused.status_code == 200
    [error] = refused.context["form"].errors["code"]
    assert error in {WAIT_FOR_CODE % {"seconds": seconds} for seconds in range(25, 31)}
    assert client.get(reverse("applications:list")).status_code == 302


@pytest.mark.usefixtures("enforced")
def test_the_admin_and_the_api_refuse_an_unverified_session(auditor):
    with_device(auditor)
    client = browser(auditor)

    admin = client.get("/admin/")
    api = client.get("/api/v1/auth/me/")

    assert admin.status_code == 302
    assert admin["Location"].startswith(reverse(VERIFY))
    assert api.status_code == 403
    assert api.json() == {"code": "two_factor_required", "detail": str(TWO_FACTOR_REQUIRED)}


@pytest.mark.usefixtures("enforced")
def test_cluster_managements_need_no_second_factor(manager_a):
    assert browser(manager_a).get(reverse("home")).status_code == 200


@pytest.mark.usefixtures("enforced")
def test_wrong_codes_count_towards_the_lockout(officer):
    with_device(officer)
    client = browser(officer)
    for _ in range(4):
        assert client.post(reverse(VERIFY), {"code": "000000"}).status_code == 200

    locked = client.post(reverse(VERIFY), {"code": "000000"})

    assert locked.status_code == 429
    assert str(LOCKED_OUT % {"minutes": 15}) in locked.content.decode()
    assert AccessAttempt.objects.get(username="olga-officer").failures_since_start == 5
    assert client.get(reverse("applications:list"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["officer", "auditor", "manager_a", "manager_b"])
@pytest.mark.parametrize("route", [SETUP, VERIFY])
def test_second_factor_pages_answer_each_persona(request, persona, route):
    """Anyone logged in may set up a second factor; the code page sends those without a device
    to the setup."""
    response = browser(request.getfixturevalue(persona)).get(reverse(route))

    if route == SETUP:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(SETUP))


@pytest.mark.parametrize("route", [SETUP, VERIFY])
def test_second_factor_pages_send_the_anonymous_to_login(db, route):
    response = browser(None).get(reverse(route))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def api_login(**extra: str):
    body = {"username": "olga-officer", "password": "pw-olga-officer", **extra}
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").post(API_LOGIN, body, format="json")


@pytest.mark.usefixtures("enforced")
def test_api_login_asks_for_the_code(officer):
    device, codes = with_device(officer)

    missing = api_login()
    wrong = api_login(otp_code="000000")
    right = api_login(otp_code=code_of(device))
    recovery = api_login(otp_code=codes[1])

    assert missing.status_code == 400
    assert missing.json() == {"code": "otp_code_required", "detail": str(OTP_CODE_REQUIRED)}
    assert wrong.status_code == 400
    assert wrong.json() == {"code": "otp_code_invalid", "detail": str(OTP_CODE_INVALID)}
    assert right.status_code == 200
    assert "token" in right.json()
    assert recovery.status_code == 200
    assert api_login(otp_code=codes[1]).json()["code"] == "otp_code_invalid"


@pytest.mark.usefixtures("enforced")
def test_api_login_without_a_device_says_to_set_one_up(officer):
    response = api_login(otp_code="123456")

    assert response.status_code == 400
    assert response.json() == {
        "code": "two_factor_setup_required",
        "detail": str(TWO_FACTOR_SETUP_REQUIRED),
    }


def test_api_login_needs_no_code_without_enforcement(officer):
    with_device(officer)

    assert api_login().status_code == 200


@pytest.mark.usefixtures("enforced")
def test_wrong_api_codes_count_towards_the_lockout(officer):
    with_device(officer)
    for _ in range(4):
        assert api_login(otp_code="000000").status_code == 400

    locked = api_login(otp_code="000000")

    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
