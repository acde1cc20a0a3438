"""The embedded run's provider: the message goes to the log (the terminal of `make run`), nowhere else."""
import logging
import secrets

from backend.sms.providers import TEXTS, SmsResult

logger = logging.getLogger("backend.sms")


def send_console(phone: str, template: str, params: dict[str, str]) -> SmsResult:
    try:
        text = TEXTS[template].format(**params)
    except KeyError:
        text = " ".join(f"{key}={value}" for key, value in params.items())
    # WARNING: shown by the default log level, so whoever runs the server can read the code aloud.
    logger.warning("SMS to %s (%s): %s", phone, template, text)
    return SmsResult("sent", f"console-{secrets.token_hex(8)}")
