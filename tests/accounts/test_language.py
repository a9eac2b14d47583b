"""Pages read in Chinese by default and in English once the visitor switches language."""

import pytest

pytestmark = pytest.mark.django_db


def _switch_to_english(client, next_url):
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    return client.get(response["Location"])


def test_signup_page_is_chinese_by_default_and_english_after_switching(client):
    chinese = client.get("/accounts/signup/").content.decode()
    assert '<html lang="zh-hans">' in chinese
    for text in ("成员单位注册", "统一社会信用代码", "研发平台", "账号信息", "提交注册"):
        assert text in chinese, text
    english = _switch_to_english(client, "/accounts/signup/").content.decode()
    assert '<html lang="en">' in english
    for text in ("Register a member unit", "Unified social credit code", "R&D platforms", "Your account"):
        assert text in english, text
    assert "提交注册" not in english


def test_home_page_is_chinese_by_default_and_english_after_switching(client, officer):
    client.force_login(officer)
    chinese = client.get("/").content.decode()
    assert "待办事项" in chinese
    assert "单位审核" in chinese  # the officer's menu entry
    english = _switch_to_english(client, "/").content.decode()
    assert "To-do" in english
    assert "Member units" in english
    assert "待办事项" not in english


def test_public_home_page_in_both_languages(client):
    assert "成员单位注册" in client.get("/").content.decode()
    assert "Register a member unit" in _switch_to_english(client, "/").content.decode()
