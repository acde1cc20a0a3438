"""Aliyun SMS (dysmsapi 2017-05-25) through its official SDK."""
import json
from urllib.parse import urlsplit

from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_dysmsapi20170525.models import SendSmsRequest
from alibabacloud_tea_openapi.utils_models import Config
from darabonba.runtime import RuntimeOptions
from flask import current_app

from backend.sms.providers import SmsResult, template_id

# Codes of an answer that refuses this phone or account for now (too many messages), not a broken setup.
THROTTLED = {"isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "isv.MONTH_LIMIT_CONTROL", "Throttling",
             "Throttling.User", "Throttling.Api"}


def _client() -> Client:
    config = current_app.config
    sdk_config = Config(access_key_id=config["SMS_ACCESS_KEY_ID"], access_key_secret=config["SMS_ACCESS_KEY_SECRET"],
                        region_id=config["SMS_REGION"] or "cn-hangzhou")
    if config["SMS_ENDPOINT"]:
        # A test server or a private gateway: "http://127.0.0.1:8080" sets the SDK's protocol too.
        url = urlsplit(config["SMS_ENDPOINT"] if "//" in config["SMS_ENDPOINT"] else f"//{config['SMS_ENDPOINT']}")
        sdk_config.endpoint, sdk_config.protocol = url.netloc, url.scheme or "https"
    else:
        sdk_config.endpoint = "dysmsapi.aliyuncs.com"
    return Client(sdk_config)


def _runtime() -> RuntimeOptions:
    timeout_ms = int(current_app.config["SMS_TIMEOUT_SECONDS"] * 1000)
    # No retries: a second try after a timeout could send the code twice.
    return RuntimeOptions(autoretry=False, max_attempts=1, read_timeout=timeout_ms, connect_timeout=timeout_ms)


def send_aliyun(phone: str, template: str, params: dict[str, str]) -> SmsResult:
    request = SendSmsRequest(phone_numbers=phone, sign_name=current_app.config["SMS_SIGN_NAME"],
                             template_code=template_id(template),
                             template_param=json.dumps(params, ensure_ascii=False))
    try:
        body = _client().send_sms_with_options(request, _runtime()).body
    except Exception as err:  # noqa: BLE001  (the SDK raises its own and the network's errors)
        code = getattr(err, "code", "") or type(err).__name__
        return SmsResult("throttled" if code in THROTTLED else "failed", detail=f"{code}: {err}"[:300])
    if body.code == "OK":
        return SmsResult("sent", body.biz_id or "")
    return SmsResult("throttled" if body.code in THROTTLED else "failed", detail=f"{body.code}: {body.message}"[:300])
