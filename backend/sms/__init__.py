"""Text messages through the configured provider: the console (embedded run), Aliyun or Tencent Cloud SMS."""
from backend.sms.providers import SmsResult, send

__all__ = ["SmsResult", "send"]
