"""The SMS adapters through the providers' own SDKs, against a loopback HTTP server standing in for the
provider: what the SDK put on the wire, and how the provider's answer maps to our result."""
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from backend.sms import send

ALIYUN_OK = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"}
ALIYUN_THROTTLED = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1",
                    "RequestId": "F655A8D6"}
TENCENT_OK = {"Response": {"SendStatusSet": [{
    "SerialNo": "5000:1045710669157053657849499619", "PhoneNumber": "+8613711112222", "Fee": 1,
    "SessionContext": "", "Code": "Ok", "Message": "send success", "IsoCode": "CN"}], "RequestId": "a0aabda6"}}
TENCENT_THROTTLED = {"Response": {"SendStatusSet": [{
    "SerialNo": "", "PhoneNumber": "+8613711112222", "Fee": 0, "SessionContext": "",
    "Code": "LimitExceeded.PhoneNumberThirtySecondLimit", "Message": "the number of sms messages sent from a "
    "single mobile number within 30 seconds exceeds the upper limit", "IsoCode": "CN"}], "RequestId": "b1"}}
TENCENT_ERROR = {"Response": {"Error": {"Code": "AuthFailure.SecretIdNotFound", "Message": "secret id not found"},
                              "RequestId": "c2"}}


class Provider:
    """A loopback HTTP server: keeps every request, answers with `answer` (status, JSON body)."""

    def __init__(self):
        self.requests, self.answer = [], (200, {})
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (the http.server name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                provider.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, answer = provider.answer
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def provider():
    server = Provider()
    yield server
    server.close()


def configure(app, name: str, url: str) -> None:
    app.config.update(SMS_PROVIDER=name, SMS_ENDPOINT=url, SMS_ACCESS_KEY_ID="AKIDtest",
                      SMS_ACCESS_KEY_SECRET="secret-test", SMS_SIGN_NAME="幸福社区", SMS_SDK_APP_ID="1400006666",
                      SMS_TEMPLATE_LOGIN="SMS_123456", SMS_TEMPLATE_RESET="SMS_654321", SMS_TIMEOUT_SECONDS=5)


def test_aliyun_sends_through_the_sdk(app, provider):
    configure(app, "aliyun", provider.url)
    provider.answer = (200, ALIYUN_OK)
    result = send("13711112222", "login", {"code": "123456", "minutes": 5})
    assert result.sent and result.message_id == ALIYUN_OK["BizId"]
    [request] = provider.requests
    query = {key: values[0] for key, values in parse_qs(urlsplit(request["path"]).query).items()}
    form = {key: values[0] for key, values in parse_qs(request["body"].decode()).items()}
    fields = {**query, **form}
    assert fields["PhoneNumbers"] == "13711112222" and fields["SignName"] == "幸福社区"
    assert fields["TemplateCode"] == "SMS_123456"
    assert json.loads(fields["TemplateParam"]) == {"code": "123456", "minutes": "5"}
    assert request["headers"]["x-acs-action"] == "SendSms"
    assert "AKIDtest" in request["headers"]["Authorization"]  # signed with the configured key


def test_aliyun_throttling_and_errors_map_to_our_result(app, provider):
    configure(app, "aliyun", provider.url)
    provider.answer = (200, ALIYUN_THROTTLED)
    assert send("13711112222", "reset", {"code": "123456", "minutes": 5}).status == "throttled"
    provider.answer = (400, {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found.",
                             "RequestId": "x"})
    failed = send("13711112222", "reset", {"code": "123456", "minutes": 5})
    assert failed.status == "failed" and "InvalidAccessKeyId.NotFound" in failed.detail
    assert len(provider.requests) == 2  # no retries: a retry after a timeout could text the code twice


def test_tencent_sends_through_the_sdk(app, provider):
    configure(app, "tencent", provider.url)
    provider.answer = (200, TENCENT_OK)
    result = send("13711112222", "login", {"code": "123456", "minutes": 5})
    assert result.sent and result.message_id == "5000:1045710669157053657849499619"
    [request] = provider.requests
    body = json.loads(request["body"])
    assert body == {"PhoneNumberSet": ["+8613711112222"], "SmsSdkAppId": "1400006666", "SignName": "幸福社区",
                    "TemplateId": "SMS_123456", "TemplateParamSet": ["123456", "5"]}
    headers = {key.lower(): value for key, value in request["headers"].items()}
    assert headers["x-tc-action"] == "SendSms" and headers["x-tc-version"] == "2021-01-11"
    assert "AKIDtest" in headers["authorization"]


def test_tencent_throttling_and_errors_map_to_our_result(app, provider):
    configure(app, "tencent", provider.url)
    provider.answer = (200, TENCENT_THROTTLED)
    assert send("13711112222", "login", {"code": "123456", "minutes": 5}).status == "throttled"
    provider.answer = (200, TENCENT_ERROR)
    failed = send("13711112222", "login", {"code": "123456", "minutes": 5})
    assert failed.status == "failed" and "AuthFailure.SecretIdNotFound" in failed.detail


@pytest.mark.parametrize("name", ["aliyun", "tencent"])
def test_a_provider_out_of_reach_is_a_failure_not_an_exception(app, provider, name):
    configure(app, name, provider.url)
    provider.close()  # nothing listens there any more
    assert send("13711112222", "login", {"code": "123456", "minutes": 5}).status == "failed"


def test_the_console_logs_the_text_with_phone_and_code(app, caplog):
    with caplog.at_level(logging.WARNING, logger="backend.sms"):
        result = send("13711112222", "login", {"code": "654321", "minutes": 5})
    assert result.sent
    [record] = [r for r in caplog.records if r.name == "backend.sms"]
    assert record.levelno == logging.WARNING
    assert "13711112222" in record.getMessage() and "654321" in record.getMessage()
