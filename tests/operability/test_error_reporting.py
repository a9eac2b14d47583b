import sentry_sdk
from django.conf import settings

from operability import error_reporting


def test_error_reporting_is_off_without_a_dsn():
    assert settings.SENTRY_ENABLED is False
    assert error_reporting.init(dsn="", environment="test", release=None, traces_sample_rate=0) is False
    assert sentry_sdk.get_client().is_active() is False


def test_scrub_keeps_the_error_and_drops_personal_data():
    event = {
        "exception": {"values": [{"type": "RuntimeError", "value": "a bug"}]},
        "request": {
            "url": "https://portal.example.gov.cn/alliances/7/",
            "method": "POST",
            "query_string": "phone=13800000000",
            "data": {"contact_name": "张三", "phone": "13800000000"},
            "cookies": {"sessionid": "abc"},
            "env": {"REMOTE_ADDR": "203.0.113.7"},
            "headers": {"Cookie": "sessionid=abc", "Authorization": "Token x", "User-Agent": "Firefox",
                        "X-Request-ID": "0123456789abcdef", "X-Forwarded-For": "203.0.113.7"},
        },
        "user": {"id": 42, "email": "zhang@example.com", "username": "zhang", "ip_address": "203.0.113.7"},
    }

    scrubbed = error_reporting.scrub(event)

    assert scrubbed["exception"] == {"values": [{"type": "RuntimeError", "value": "a bug"}]}
    assert scrubbed["request"] == {
        "url": "https://portal.example.gov.cn/alliances/7/",
        "method": "POST",
        "headers": {"User-Agent": "Firefox", "X-Request-ID": "0123456789abcdef"},
    }
    assert scrubbed["user"] == {"id": 42}


def test_scrub_tags_the_event_with_the_request_id_the_user_saw():
    from operability import request_log

    token = request_log._request_id.set("fedcba9876543210")
    try:
        scrubbed = error_reporting.scrub({"message": "x"})
    finally:
        request_log._request_id.reset(token)

    assert scrubbed["tags"] == {"request_id": "fedcba9876543210"}
