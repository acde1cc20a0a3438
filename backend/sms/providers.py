"""One small interface over the SMS providers: send(phone, template, params) -> SmsResult.

`template` is what the message is for (login, reset, notice); each provider maps it to the template id
the provider approved (SMS_TEMPLATE_*), with the sign name SMS_SIGN_NAME. The params fill the template in
order (Tencent) or by name (Aliyun)."""
from dataclasses import dataclass

from flask import current_app

TEMPLATES = ("login", "reset", "notice")
# What the console shows (and what the approved templates at the providers should say).
TEXTS = {
    "login": "您的登录验证码是 {code}，{minutes} 分钟内有效。如非本人操作，请忽略。",
    "reset": "您正在重置密码，验证码是 {code}，{minutes} 分钟内有效。如非本人操作，请忽略。",
    "notice": "【{community}】紧急通知：{title}。{summary} 详情请打开社区云查看。",
}


@dataclass(frozen=True)
class SmsResult:
    """What the provider said: sent (with its message id), throttled (it refuses this phone for now) or failed."""
    status: str
    message_id: str = ""
    detail: str = ""

    @property
    def sent(self) -> bool:
        return self.status == "sent"


def template_id(template: str) -> str:
    return current_app.config[f"SMS_TEMPLATE_{template.upper()}"]


def send(phone: str, template: str, params: dict[str, str]) -> SmsResult:
    """Send one message; never raises for the provider's failures, it answers them."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown SMS template {template!r}")
    name = current_app.config["SMS_PROVIDER"]
    if name == "aliyun":
        from backend.sms.aliyun import send_aliyun as provider
    elif name == "tencent":
        from backend.sms.tencent import send_tencent as provider
    elif name == "console":
        from backend.sms.console import send_console as provider
    else:
        raise RuntimeError(f"SMS_PROVIDER must be console, aliyun or tencent, not {name!r}")
    result = provider(phone, template, {key: str(value) for key, value in params.items()})
    if not result.sent:
        current_app.logger.warning("SMS via %s to %s not sent: %s %s", name, phone, result.status, result.detail)
    return result
