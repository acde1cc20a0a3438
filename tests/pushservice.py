"""A push service on loopback, as strict as the browsers' (RFC 8030, 8291, 8292), for tests and the benchmark.

It checks the VAPID JWT (ES256 against the `k=` key, `aud` its own origin, `exp` at most 24 h ahead, `sub`
present), that TTL is present, decrypts the aes128gcm body with the subscription's private key and records
it. Each subscription can be scripted to answer 201, 404, 410, 413, 429 (with Retry-After), 500 or hang.
"""
import asyncio
import base64
import contextlib
import json
import os
import threading
import time
from collections import defaultdict
from dataclasses import dataclass

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

HANG = "hang"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    sub_id: str
    payload: dict
    ttl: int
    topic: str | None
    urgency: str | None


class Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def new_keys() -> tuple[bytes, str, str]:
    """(private key PEM, p256dh, auth) as a browser would make them for one subscription."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    raw = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return pem, b64(raw), b64(os.urandom(16))


class PushService:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, delay: float = 0.0):
        self.host, self.port, self.delay = host, port, delay
        self.keys: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = {}
        self.scripts: dict[str, list] = defaultdict(list)
        self.received: list[Received] = []
        self.requests: dict[str, int] = defaultdict(int)
        self.errors: list[str] = []
        self._tokens: dict[str, dict] = {}
        self._lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    # What a browser does

    def subscribe(self, pem: bytes | None = None, p256dh: str = "", auth: str = "", sub_id: str = "") -> dict:
        if pem is None:
            pem, p256dh, auth = new_keys()
        sub_id = sub_id or b64(os.urandom(12))
        self.keys[sub_id] = (serialization.load_pem_private_key(pem, None), unb64(auth))
        return {"endpoint": f"{self.origin}/push/{sub_id}", "keys": {"p256dh": p256dh, "auth": auth}}

    def script(self, subscription: dict, *answers) -> None:
        """Answer the next requests so: 404, 410, 413, 500, HANG, or (429, retry_after); then 201."""
        self.scripts[self.sub_id(subscription)].extend(answers)

    @staticmethod
    def sub_id(subscription: dict | str) -> str:
        endpoint = subscription["endpoint"] if isinstance(subscription, dict) else subscription
        return endpoint.rsplit("/", 1)[1]

    def received_by(self, subscription: dict) -> list[Received]:
        sub_id = self.sub_id(subscription)
        return [r for r in self.received if r.sub_id == sub_id]

    # Checking a request

    def _claims(self, authorization: str) -> dict:
        scheme, _, params = authorization.partition(" ")
        fields = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
        if scheme.lower() != "vapid" or "t" not in fields or "k" not in fields:
            raise Refused(401, "no vapid authorization")
        token, key = fields["t"], fields["k"]
        claims = self._tokens.get(token + key) or self._verify(token, key)
        now = time.time()
        if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + 86400:
            raise Refused(403, f"exp not within 24 h: {claims.get('exp')}")
        return claims

    def _verify(self, token: str, key: str) -> dict:
        try:
            head, body, sig = token.split(".")
            if json.loads(unb64(head)).get("alg") != "ES256":
                raise Refused(401, "alg is not ES256")
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
            raw = unb64(sig)
            der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
            public.verify(der, f"{head}.{body}".encode(), ec.ECDSA(hashes.SHA256()))
            claims = json.loads(unb64(body))
        except (ValueError, InvalidSignature) as err:
            raise Refused(401, f"bad jwt: {type(err).__name__}") from err
        if claims.get("aud") != self.origin:
            raise Refused(403, f"aud {claims.get('aud')} is not {self.origin}")
        if not claims.get("sub"):
            raise Refused(403, "no sub")
        with self._lock:
            self._tokens[token + key] = claims
        return claims

    def _accept(self, sub_id: str, headers: dict, body: bytes) -> Received:
        if sub_id not in self.keys:
            raise Refused(404, "no such subscription")
        self._claims(headers.get("authorization", ""))
        if not headers.get("ttl", "").isdigit():
            raise Refused(400, "TTL missing")
        if headers.get("content-encoding") != "aes128gcm":
            raise Refused(400, "not aes128gcm")
        if len(body) > 4096:
            raise Refused(413, "payload too large")
        private, auth = self.keys[sub_id]
        try:
            plain = http_ece.decrypt(body, private_key=private, auth_secret=auth, version="aes128gcm")
        except Exception as err:
            raise Refused(400, f"cannot decrypt: {err}") from err
        return Received(sub_id, json.loads(plain), int(headers["ttl"]), headers.get("topic"), headers.get("urgency"))

    async def _answer(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, dict, bytes]:
        if method == "GET" and path == "/stats":
            return 200, {}, json.dumps({"received": len(self.received), "errors": len(self.errors)}).encode()
        sub_id = path.rsplit("/", 1)[-1]
        self.requests[sub_id] += 1
        try:
            message = self._accept(sub_id, headers, body)
        except Refused as err:
            self.errors.append(f"{sub_id}: {err.status} {err.reason}")
            return err.status, {}, err.reason.encode()
        if self.delay:
            await asyncio.sleep(self.delay)
        answer = self.scripts[sub_id].pop(0) if self.scripts.get(sub_id) else 201
        if answer == HANG:
            await asyncio.sleep(3600)
        if isinstance(answer, tuple):
            return answer[0], {"Retry-After": str(answer[1])}, b""
        if answer == 201:
            self.received.append(message)
            return 201, {"Location": f"{self.origin}/message/{len(self.received)}"}, b""
        return answer, {}, b""

    # HTTP/1.1 with keep-alive, small and fast

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status, extra, content = await self._answer(method, path, headers, body)
                out = [f"HTTP/1.1 {status} X", f"Content-Length: {len(content)}",
                       *(f"{k}: {v}" for k, v in extra.items())]
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode() + content)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _serve(self, ready: threading.Event) -> None:
        self._serve_task = asyncio.current_task()
        server = await asyncio.start_server(self._handle, self.host, self.port, backlog=1024)
        self.port = server.sockets[0].getsockname()[1]
        ready.set()
        async with server:
            with contextlib.suppress(asyncio.CancelledError):
                await server.serve_forever()

    def start(self) -> "PushService":
        ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_until_complete, args=(self._serve(ready),), daemon=True)
        self._thread.start()
        ready.wait(5)
        return self

    async def _shutdown(self) -> None:
        handlers = [t for t in asyncio.all_tasks() if t not in (asyncio.current_task(), self._serve_task)]
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        self._serve_task.cancel()

    def stop(self) -> None:
        if self.loop:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(5)
            self._thread.join(5)
            self.loop.close()
