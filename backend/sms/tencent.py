"""Tencent Cloud SMS (2021-01-11) through its official SDK."""
from urllib.parse import urlsplit

from flask import current_app
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from backend.sms.providers import SmsResult, template_id


def _throttled(code: str) -> bool:
    # LimitExceeded.PhoneNumberThirtySecondLimit, ...OneHourLimit, ...DailyLimit; RequestLimitExceeded.
    return code.startswith("LimitExceeded.") or code.startswith("RequestLimitExceeded")


def _client() -> sms_client.SmsClient:
    config = current_app.config
    http = HttpProfile(reqTimeout=int(config["SMS_TIMEOUT_SECONDS"]))
    if config["SMS_ENDPOINT"]:
        url = urlsplit(config["SMS_ENDPOINT"] if "//" in config["SMS_ENDPOINT"] else f"//{config['SMS_ENDPOINT']}")
        http = HttpProfile(protocol=url.scheme or "https", endpoint=url.netloc,
                           reqTimeout=int(config["SMS_TIMEOUT_SECONDS"]))
    else:
        http.endpoint = "sms.tencentcloudapi.com"
    cred = credential.Credential(config["SMS_ACCESS_KEY_ID"], config["SMS_ACCESS_KEY_SECRET"])
    return sms_client.SmsClient(cred, config["SMS_REGION"] or "ap-guangzhou", ClientProfile(httpProfile=http))


def send_tencent(phone: str, template: str, params: dict[str, str]) -> SmsResult:
    request = models.SendSmsRequest()
    request.PhoneNumberSet = [f"+86{phone}"]
    request.SmsSdkAppId = current_app.config["SMS_SDK_APP_ID"]
    request.SignName = current_app.config["SMS_SIGN_NAME"]
    request.TemplateId = template_id(template)
    request.TemplateParamSet = list(params.values())
    try:
        answer = _client().SendSms(request)
    except TencentCloudSDKException as err:
        code = err.get_code() or ""
        return SmsResult("throttled" if _throttled(code) else "failed", detail=f"{code}: {err.get_message()}"[:300])
    status = (answer.SendStatusSet or [None])[0]
    if status is None:
        return SmsResult("failed", detail="no send status in the answer")
    if status.Code == "Ok":
        return SmsResult("sent", status.SerialNo or "")
    return SmsResult("throttled" if _throttled(status.Code or "") else "failed",
                     detail=f"{status.Code}: {status.Message}"[:300])
