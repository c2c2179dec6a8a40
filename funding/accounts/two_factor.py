"""The second factor: a TOTP device set up once (QR code and secret), ~10 single-use recovery
codes, and checking a code against the user's confirmed devices."""

import math
from base64 import b32encode
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user, verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def has_device(user: Any) -> bool:
    return any(devices_for_user(user, confirmed=True))


def pending_totp(user: Any) -> TOTPDevice:
    """The user's unconfirmed TOTP device (made on first call), which the setup page shows
    until a code from it confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The key as an app expects it typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG (qrcode's SVG factory needs no image library)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg: str = image.to_string(encoding="unicode")
    return svg


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the pending device with a code from it; returns fresh recovery codes (any old
    ones are replaced), or None if the code is wrong."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    if not locked.verify_token(code.strip()):
        return None
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=locked.user_id, confirmed=False).delete()
    StaticDevice.objects.filter(user_id=locked.user_id).delete()
    recovery = StaticDevice.objects.create(user_id=locked.user_id, name=RECOVERY_NAME)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    device.confirmed = True
    return codes


def matching_device(user: Any, code: str) -> Device | None:
    """The confirmed device that accepts the code (a recovery code is used up by it). Digits go
    to the app's device, anything else to the recovery codes, so a recovery code does not count
    as a failure against the app's device (django-otp slows that one down after failures)."""
    code = code.strip().replace(" ", "").lower()
    if not code:
        return None
    kind = TOTPDevice if code.isdigit() else StaticDevice
    for device in devices_for_user(user, confirmed=True):
        if not isinstance(device, kind):
            continue
        matched: Device | None = verify_token(user, device.persistent_id, code)
        if matched is not None:
            return matched
    return None


def code_wait_seconds(user: Any) -> int | None:
    """Seconds until the app's device takes codes again after wrong ones (django-otp doubles
    the wait with each failure), or None when it takes them now."""
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice):
            allowed, why = device.verify_is_allowed()
            if not allowed and why and why.get("locked_until"):
                seconds: float = (why["locked_until"] - timezone.now()).total_seconds()
                return max(1, math.ceil(seconds))
    return None
