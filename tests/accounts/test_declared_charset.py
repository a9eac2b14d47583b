"""A form posted in a charset that Python knows but that decodes no text (``multipart/form-data; charset=rot13``)
is refused with 400; it was a 500 (Django decoded the form with that codec). Found by the form fuzz of
tests/resilience. Charsets Python does not know, GBK multipart and Django's own 400 for a urlencoded body that
is not UTF-8 keep their answers."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _multipart(charset: str, text: bytes = b"user") -> tuple[bytes, str]:
    body = (b'--b\r\nContent-Disposition: form-data; name="username"\r\n\r\n' + text
            + b'\r\n--b\r\nContent-Disposition: form-data; name="password"\r\n\r\nx\r\n--b--\r\n')
    return body, f"multipart/form-data; boundary=b; charset={charset}"


@pytest.mark.parametrize("charset", ["rot13", "base64", "zlib", "hex", "undefined"])
def test_multipart_post_in_a_codec_that_is_no_text_encoding_is_a_400(charset):
    body, content_type = _multipart(charset)
    response = Client(raise_request_exception=False).generic("POST", LOGIN, body, content_type=content_type)
    assert response.status_code == 400
    assert "Content-Security-Policy" in response  # answered inside the security middlewares


def test_multipart_post_in_gbk_is_read_in_gbk(member):
    client = Client(raise_request_exception=False)
    body, content_type = _multipart("gbk", "联盟".encode("gbk"))
    response = client.generic("POST", LOGIN, body, content_type=content_type)
    assert response.status_code == 200  # the login form again: wrong credentials
    assert response.context["form"].data["username"] == "联盟"


@pytest.mark.parametrize(("content_type", "status"), [
    ("multipart/form-data; boundary=b; charset=x-unknown-charset", 200),  # ignored: read as UTF-8
    ("application/x-www-form-urlencoded; charset=gbk", 400),  # Django: urlencoded must be UTF-8
])
def test_other_declared_charsets_keep_their_answer(content_type, status):
    body = _multipart("x")[0] if content_type.startswith("multipart") else b"username=%C1%AA&password=x"
    response = Client(raise_request_exception=False).generic("POST", LOGIN, body, content_type=content_type)
    assert response.status_code == status
