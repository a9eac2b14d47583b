"""Every form of the portal, found on its pages as each role sees them, posted with random and hostile values
(overlong text, invalid UTF-8, lone surrogates, NUL bytes, HTML and SQL fragments, empty, huge and lying
uploads) by hypothesis: never a 500, never an unescaped script in any page that shows what was saved, and a
refused post leaves every table as it was (nothing saved half-way), whether it is answered with the form
again or with a redirect and an error message. Where a post stored a script (found in the database by its
marker), the pages that may show it are read back as the role and as an officer: escaped.

The roles: anonymous, a member unit, a drafter (with the steps of a draft), an officer, an assigned expert,
the district reviewer of the organisation's district, a joint reviewer, the organisation's liaison officer and
an administrator (superuser); the review stages they act in are added by ``world.add_review_stages``.
Django's admin (/admin/) is not ours and is not crawled.

Before the upload limit is lowered for the fuzz, one upload per upload check really is over the production
limit: refused with that check's own message, no row, no file; form data over Django's limit is a 400.
After it, bodies declaring GBK, an unknown charset or a codec that is no text encoding: never a 500.

``RESILIENCE_FORM_EXAMPLES`` sets the generated posts per form (default 3, after two fixed hostile ones).
"""

import os
from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from alliances import importing
from alliances.uploads import inspect_pdf
from alliances.views.application import LAST as LAST_STEP
from alliances.workflow import State
from projects.uploads import check_upload
from recommendations.uploads import inspect_letter
from reviews.models import PublicNotice
from site_visits.uploads import inspect_attachment
from tests.factories import AllianceFactory, member_user

from . import world as world_module
from .conftest import settle
from .forms import Form, forms_on, multipart, urlencoded

pytestmark = [pytest.mark.resilience, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("RESILIENCE_FORM_EXAMPLES", "3"))
SCRIPT = '<script>alert("xss-fuzz")</script>'
IMAGE = '"><img src=x onerror=alert("xss-fuzz")>'
MARKER = b"xss-fuzz"  # in every hostile script: where it is stored, the pages showing it are checked
RAW_MARKERS = (b'<script>alert("xss-fuzz")', b'<img src=x onerror=alert("xss-fuzz")')
HOSTILE = [
    SCRIPT.encode(), IMAGE.encode(), f"联盟{SCRIPT}".encode(),
    b"'; DROP TABLE alliances_alliance; --", b"' OR '1'='1", b"1; SELECT pg_sleep(10)--",
    b"A" * 20_000, "中".encode() * 6_000, b"", b"   ", b"\x00", b"abc\x00def",
    b"\xff\xfe\xfd", b"\xed\xa0\x80", b"\xc3\x28", "\u202e\u200b\ufeff".encode(),
    b"-1", b"0", b"1e309", b"99999999999999999999999999", b"NaN", b"-0.00001", b"2026-02-30", b"9999-12-31",
    b"../../etc/passwd", b"%00%ff", b"{{ 7*7 }}", b"${7*7}", b"null", b"[]",
]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LIMIT = 64 * 1024
FILES = [
    ("empty.pdf", "application/pdf", b""),
    ("huge.pdf", "application/pdf", PDF + b"0" * LIMIT),
    ("report.pdf", "application/pdf", b"MZ\x90\x00\x03" + b"\x00" * 200),  # a Windows program that says PDF
    ("page.pdf", "application/pdf", f"<html>{SCRIPT}</html>".encode()),
    ("setup.exe", "application/x-msdownload", PDF),
    (f"{SCRIPT}.pdf", "text/html", PDF),
    ("名单.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04broken"),
    ("ok.pdf", "application/pdf", PDF),
]
NO_FORMS = ("/api/", "/healthz", "/dashboards/rows/")  # JSON, not pages: the API has its own fuzz (schemathesis)
IGNORED_TABLES = {"accounts.auditevent", "sessions.session"}  # refusals are audited; sessions change on use
TEXT_KINDS = ("text", "textarea", "search", "email", "url", "tel")

# The view behind every form with a file field → the check its upload goes through (a file field elsewhere
# fails the test: say here which check guards it). ``check(upload)`` raises the refusal for an upload whose
# size is over the limit before it reads a byte, so a stand-in of that size gives the expected message.
UPLOAD_CHECKS = {
    "alliances:step": ("alliances.uploads.inspect_pdf (the agreement)", inspect_pdf),
    "calls:documents": ("alliances.uploads.inspect_pdf (the agreement)", inspect_pdf),
    "recommendations:recommend": ("recommendations.uploads.inspect_letter", inspect_letter),
    "site_visits:visit": ("site_visits.uploads.inspect_attachment", inspect_attachment),
    "projects:attachment_add": ("projects.uploads.check_upload", check_upload),
    "alliances:import": ("alliances.importing (the workbook)", importing.check_workbook),
}
# The forms that only appear with an application waiting for the role (or the drafter's draft): they must be
# found, or the stages of ``world.add_review_stages`` no longer put them on a page.
STAGE_FORMS = {
    "district_reviewer": {"recommendations:recommend", "recommendations:decline", "recommendations:ranking"},
    "joint_reviewer": {"reviews:opinion"},
    "officer": {"site_visits:schedule", "site_visits:visit", "reviews:batch_stage"},
    "drafter": {"alliances:step", "calls:documents"},
}
# Draft steps save what is valid and mark the rest ("save draft" on every step, by design): their answer is the
# step again (200) with what was saved; they are checked as saves (what they stored is shown escaped).
SAVES_PARTLY = {"alliances:step"}
GBK_TEXT = "淄博新材料产业技术创新战略联盟（测试）"


def _counted_models():
    return [m for m in apps.get_models()
            if m._meta.label_lower not in IGNORED_TABLES and not m._meta.app_label.startswith(("axes", "django_celery"))
            and m._meta.managed and not m._meta.proxy]


def _row_counts() -> dict:
    """The row count of every table, in one statement."""
    models_ = _counted_models()
    tables = (connection.ops.quote_name(m._meta.db_table) for m in models_)
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {table})" for table in tables)  # noqa: S608 (model tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip((m._meta.label_lower for m in models_), cursor.fetchone(), strict=True))


def _marked_rows_sql() -> tuple[str, list]:
    """One statement listing (model, pk) of every row with the marker in a text column."""
    text_fields = (models.CharField, models.TextField, models.JSONField)
    quote = connection.ops.quote_name
    selects, params = [], []
    for model in _counted_models():
        columns = [quote(f.column) for f in model._meta.concrete_fields if isinstance(f, text_fields)]
        if columns:
            where = " OR ".join(f"CAST({column} AS TEXT) LIKE %s" for column in columns)
            key = f"'{model._meta.label_lower}', CAST({quote(model._meta.pk.column)} AS TEXT)"
            selects.append(f"SELECT {key} FROM {quote(model._meta.db_table)} WHERE {where}")  # noqa: S608
            params += [f"%{MARKER.decode()}%"] * len(columns)
    return " UNION ALL ".join(selects), params


def _marked_rows(query) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(*query)
        return set(cursor.fetchall())


def _media_files() -> int:
    return sum(len(files) for _root, _dirs, files in os.walk(django_settings.MEDIA_ROOT))


def _messages(response, client) -> list:
    """The messages this response stored for the next page (cookie, overflowing into the session)."""
    cookie = response.cookies.get("messages")
    request = RequestFactory().get("/")
    request.COOKIES = {"messages": cookie.value} if cookie is not None and cookie.value else {}
    request.session = client.session
    return list(FallbackStorage(request))


def _view(form: Form) -> str:
    return resolve(form.action.split("?")[0]).view_name


def _values(form: Form, draw) -> tuple[list[tuple[str, bytes]], list[tuple[str, str, str, bytes]]]:
    values, files = [], []
    for field in form.fields.values():
        if field.kind == "file":
            if draw(st.booleans()):
                filename, content_type, content = draw(st.sampled_from(FILES))
                files.append((field.name, filename, content_type, content))
            continue
        own = [field.value.encode(), *(option.encode() for option in field.options)]
        value = draw(st.one_of(
            st.sampled_from(HOSTILE),
            st.sampled_from(own),
            st.text(max_size=300).map(lambda text: text.encode("utf-8", "surrogatepass")),
            st.binary(max_size=64),
        ))
        values.append((field.name, value))
    return values, files


def _fixed(form: Form, hostile: bool) -> tuple[list, list]:
    """Every text field the script (or, for ``hostile``, overlong text with NUL and broken UTF-8), the other
    fields as the page filled them in: the post most likely to be saved and shown again."""
    values, files = [], []
    for field in form.fields.values():
        if field.kind == "file":
            files.append((field.name, *(FILES[1] if hostile else FILES[-1])))
        elif field.kind in TEXT_KINDS and field.name != "username":
            values.append((field.name, (b"\x00" + b"\xff" * 3 + b"A" * 5000) if hostile else
                           (field.value + SCRIPT).encode()))
        elif field.kind in ("checkbox", "radio"):
            if field.value:
                values.append((field.name, field.value.encode()))
        else:
            values.append((field.name, field.value.encode()))
    return values, files


def _plausible(form: Form, text: bytes = "测试".encode()) -> list[tuple[str, bytes]]:
    """A post a person could make: text filled in, the first choice of every radio, today for a date, so that
    the post reaches the checks behind the form (an upload is checked by the service after the form)."""
    values = []
    for field in form.fields.values():
        if field.kind == "file":
            continue
        if field.kind in TEXT_KINDS and field.name != "username":
            values.append((field.name, field.value.encode() if field.value.strip() else text))
        elif field.kind in ("checkbox", "radio"):
            chosen = field.value or (field.options[0] if field.kind == "radio" and field.options else "")
            if chosen:
                values.append((field.name, chosen.encode()))
        elif field.kind == "date" and not field.value:
            values.append((field.name, timezone.localdate().isoformat().encode()))
        else:
            values.append((field.name, field.value.encode()))
    return values


class Fuzzer:
    def __init__(self, world, display_pages, bureau: Client):
        self.world = world
        self.display_pages = display_pages
        self.bureau = bureau  # an officer: sees what every role's post put on the bureau's pages
        self.marked_query = _marked_rows_sql()
        self.marked = _marked_rows(self.marked_query)
        self.tally = Counter()
        self.posts_by_role = Counter()
        self.checked = Counter()
        self.problems = []

    def post(self, role: str, client: Client, form: Form, values, files, *, charset=None):
        if form.multipart or files:
            body, content_type = multipart(values, files, charset)
        else:
            body, content_type = urlencoded(values, charset)
        before = _row_counts()
        response = client.generic("POST", form.action, body, content_type=content_type)
        self.tally[response.status_code] += 1
        self.posts_by_role[role] += 1
        where = f"{role} POST {form.action} (from {form.page}) fields={[n for n, _ in values]}"
        if charset:
            where += f" charset={charset}"
        if response.status_code >= 500:
            self.problems.append(f"{where} → {response.status_code}")
            return response
        self._no_raw_script(where, response)
        if response.status_code == 302:
            refusal = any(m.level >= messages.ERROR for m in _messages(response, client))
        else:
            refusal = not (response.status_code == 200 and _view(form) in SAVES_PARTLY)
        if refusal:  # answered with the form again, or redirected with an error message: nothing may change
            self.checked["refusals"] += 1
            after = _row_counts()
            changed = {t: (before[t], after[t]) for t in before if before[t] != after.get(t)}
            if changed:
                self.problems.append(f"{where} → {response.status_code} (refused) but rows changed: {changed}")
        stored = self._newly_marked(values, files)
        if stored and refusal:
            self.problems.append(f"{where} → {response.status_code} (refused) but stored the script in {stored}")
        # Saved (or refused with a message): the page it leads to, and where a script was stored, every page
        # that may show it (as the role and as the bureau), escaped.
        if response.status_code == 302:
            self._show(where, client, {response["Location"]})
        if stored and not refusal:
            self.checked["stored scripts"] += 1
            pages = {*self.display_pages, *self._own_pages(stored)}
            self._show(where, client, pages)
            self._show(f"{where} (seen by an officer)", self.bureau, pages)
        return response

    def _newly_marked(self, values, files) -> list[str]:
        """Rows that hold the marker since the last look (only a post carrying it can store it)."""
        if not any(MARKER in value for _, value in values) and not any(
                MARKER in (filename.encode() + content) for _, filename, _, content in files):
            return []
        marked = _marked_rows(self.marked_query)
        new, self.marked = marked - self.marked, marked
        return sorted(f"{label}:{pk}" for label, pk in new)

    @staticmethod
    def _own_pages(stored) -> set[str]:
        pages = set()
        for row in stored:
            label, pk = row.split(":")
            model = apps.get_model(label)
            if hasattr(model, "get_absolute_url"):
                instance = model.objects.filter(pk=pk).first()
                if instance is not None:
                    pages.add(instance.get_absolute_url())
        return pages

    def _show(self, where, client, pages):
        for page in pages:
            if page.startswith("http"):
                continue
            shown = client.get(page)
            settle(shown)
            self.checked["pages read back"] += 1
            if shown.status_code >= 500:
                self.problems.append(f"{where}; then GET {page} → {shown.status_code}")
            self._no_raw_script(f"{where}; then GET {page}", shown)

    def _no_raw_script(self, where, response):
        if getattr(response, "streaming", False):
            return
        if any(marker in response.content for marker in RAW_MARKERS):
            self.problems.append(f"{where}: an unescaped script in the page")


def _generated(fuzzer, role, client, form):
    @hypothesis_settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(st.data())
    def fuzz(data):
        fuzzer.post(role, client, form, *_values(form, data.draw))

    return fuzz


def _discover(world, clients, extra_pages) -> list[tuple[str, Form]]:
    pages = world_module.plain_pages()
    object_pages = [url for _, url in world_module.object_urls(world)[0]] + world_module.review_stage_urls(world)
    object_pages += extra_pages
    found = {}
    for role, client in clients.items():
        for page in pages + ([] if role == "anonymous" else object_pages):
            if page.startswith(NO_FORMS) or page.endswith(".pdf") or "/export" in page:
                continue
            response = client.get(page)
            settle(response)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for form in forms_on(page, response.content.decode("utf-8", "replace")):
                if form.action.startswith(("/accounts/logout/", "/i18n/")) or not form.fields:
                    continue
                found.setdefault((role, form.key), (role, form))
    return list(found.values())


def _unreachable_state(world) -> set[str]:
    """The district's decision forms of A's application: the world seeds it in district review *with* the
    district's recommendation of its current version (for the letter's URL), which no path reaches (only
    "submit" enters district review, with a new version; the admin is read-only). Deciding again would break
    the one-decision-per-submission constraint; the district's forms are fuzzed on ``waiting`` instead."""
    pk = world.objects["application"].pk
    return {reverse(f"recommendations:{name}", kwargs={"pk": pk}) for name in ("recommend", "decline")}


def _huge_uploads(fuzzer, clients, forms) -> tuple[list[str], str]:
    """One upload per upload check, really over the production limit (which stays as configured): refused
    with that check's own message (on the form, or as the error message of the redirect), nothing saved,
    no file left behind. Then form data over ``DATA_UPLOAD_MAX_MEMORY_SIZE``: Django's 400, nothing saved."""
    size = django_settings.UPLOAD_MAX_BYTES * 3 // 2
    content = PDF + bytes(size - len(PDF))
    file_forms = [(role, form) for role, form in forms if any(f.kind == "file" for f in form.fields.values())]
    unknown = {_view(form) for _, form in file_forms} - set(UPLOAD_CHECKS)
    assert not unknown, f"forms with a file field whose upload check is not in UPLOAD_CHECKS: {unknown}"
    tried = {}
    for role, form in file_forms:
        name, check = UPLOAD_CHECKS[_view(form)]
        if name in tried:
            continue
        field = next(f for f in form.fields.values() if f.kind == "file")
        filename = "名单.xlsx" if check is importing.check_workbook else "扫描件.pdf"
        client = clients[role]
        before, files_before = _row_counts(), _media_files()
        response = fuzzer.post(role, client, form, _plausible(form), [(field.name, filename, "application/pdf",
                                                                         content)])
        language = response.get("Content-Language", django_settings.LANGUAGE_CODE)
        with translation.override(language):
            try:
                check(SimpleNamespace(name=filename, size=len(content)))
            except (ValidationError, importing.UnreadableWorkbook) as refusal:
                expected = refusal.messages[0] if isinstance(refusal, ValidationError) else refusal.message
            else:
                raise AssertionError(f"{name} accepts {len(content)} bytes")
        said = [str(m) for m in _messages(response, client) if m.level >= messages.ERROR]
        said.append(response.content.decode("utf-8", "replace"))
        where = f"{role} POST {form.action} with {len(content) >> 20} MiB ({name})"
        if response.status_code not in (200, 302, 400) or not any(escape(expected) in text or expected in text
                                                                  for text in said):
            fuzzer.problems.append(f"{where} → {response.status_code}, not refused with “{expected}”")
        if _row_counts() != before or _media_files() != files_before:
            fuzzer.problems.append(f"{where}: rows or files were saved")
        tried[name] = f"{_view(form)} → {response.status_code}"
    missing = {name for name, _ in UPLOAD_CHECKS.values()} - set(tried)
    assert not missing, f"no form found for the upload checks {missing}"

    # Form data (not files) over DATA_UPLOAD_MAX_MEMORY_SIZE, urlencoded and multipart.
    role, form = next((role, form) for role, form in forms
                      if role == "officer" and not form.action.startswith("/accounts/")
                      and any(f.kind in TEXT_KINDS for f in form.fields.values()))
    text = next(f for f in form.fields.values() if f.kind in TEXT_KINDS)
    oversized = [(text.name, b"A" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))]
    for files in ([], [("unused", "a.pdf", "application/pdf", PDF)]):
        before = _row_counts()
        body, content_type = multipart(oversized, files) if files else urlencoded(oversized)
        response = clients[role].generic("POST", form.action, body, content_type=content_type)
        if response.status_code != 400 or _row_counts() != before:
            fuzzer.problems.append(f"{role} POST {form.action} with form data over DATA_UPLOAD_MAX_MEMORY_SIZE "
                                   f"({'multipart' if files else 'urlencoded'}) → {response.status_code}, not 400")
    return [f"{name}: {outcome}" for name, outcome in sorted(tried.items())], _view(form)


def _wrong_encodings(fuzzer, clients, forms) -> tuple[int, list[str]]:
    """GBK-encoded Chinese declared as GBK, and bodies declaring charsets Python does not know or that are no
    text encodings, to one form with text per role: never a 500. A urlencoded body must be UTF-8 (Django
    refuses any other declared charset with 400, ticket #34709); a multipart body is read in its charset.
    Posted after the fuzz, to a form still on its page (a valid post may have closed others, e.g. a decline)."""
    sample = {}
    for role, form in sorted(forms, key=lambda found: found[1].action.startswith("/accounts/")):
        if role in sample or not any(f.kind in TEXT_KINDS for f in form.fields.values()):
            continue  # a form of the role's own work where there is one, not the password forms
        page = clients[role].get(form.page)
        settle(page)
        if page.status_code == 200 and any(
                found.action == form.action for found in forms_on(form.page, page.content.decode("utf-8", "replace"))):
            sample[role] = form
    posts = 0
    for role, form in sample.items():
        gbk = _plausible(form, GBK_TEXT.encode("gbk"))
        for charset, multipart_body in (("gbk", False), ("gbk", True), ("x-unknown-klingon", False),
                                        ("x-unknown-klingon", True), ("rot13", True), ("base64", False)):
            if charset in ("rot13", "base64") and "?" in form.action:
                continue  # Django decodes a query string while it builds the request: a 500 before any of our code
            as_form = Form(form.page, form.action, multipart_body, form.fields)
            before = _row_counts()
            response = fuzzer.post(role, clients[role], as_form, gbk, [], charset=charset)
            posts += 1
            if not multipart_body and charset == "gbk" and (response.status_code != 400 or _row_counts() != before):
                fuzzer.problems.append(f"{role} POST {form.action} urlencoded, charset=gbk → "
                                       f"{response.status_code}, not 400 with nothing saved")
    return posts, sorted({_view(form) for form in sample.values()})


def test_every_form_survives_hostile_and_random_input(settings, officer, report):
    world = world_module.build()
    world_module.add_review_stages(world, officer=officer)
    # A notice running now, so that its public objection form is on its page.
    running = AllianceFactory(state=State.PUBLIC_NOTICE, current_version=1)
    today = timezone.localdate()
    PublicNotice.objects.create(alliance=running, version=1, starts_on=today - timedelta(days=2),
                                ends_on=today + timedelta(days=5))
    drafter = member_user()
    # The application steps of a draft (the agreement upload among them) and its call's documents.
    draft = AllianceFactory(chairman=drafter.organisation, state=State.DRAFT, call=world.objects["call"])
    draft_pages = [*(reverse("alliances:step", kwargs={"pk": draft.pk, "number": n}) for n in range(1, LAST_STEP + 1)),
                   reverse("calls:documents", kwargs={"alliance_pk": draft.pk})]
    p = world.people
    people = {"anonymous": None, "member": p["owner"], "drafter": drafter, "officer": officer,
              "expert": world.objects["assignment"].expert.user, "district_reviewer": p["district_reviewer"],
              "joint_reviewer": p["joint_reviewer"], "liaison": p["liaison"], "administrator": p["administrator"]}
    clients = {}
    for role, user in people.items():
        clients[role] = Client(raise_request_exception=False)
        if user is not None:
            clients[role].force_login(user)
    forms = [(role, form) for role, form in _discover(world, clients, draft_pages)
             if form.action not in _unreachable_state(world)]
    assert len(forms) >= 25
    found = {(role, _view(form)) for role, form in forms}
    missing = {(role, view) for role, views in STAGE_FORMS.items() for view in views} - found
    assert not missing, f"forms of the review stages not on their pages: {sorted(missing)}"
    o = world.objects
    fuzzer = Fuzzer(world, bureau=clients["officer"], display_pages=[
        "/", f"/alliances/{o['alliance'].pk}/", "/alliances/", f"/projects/{o['project'].pk}/", "/projects/",
        f"/projects/reports/{o['report'].pk}/", f"/projects/changes/{o['change'].pk}/", "/notifications/",
        f"/reviews/applications/{o['alliance'].pk}/", "/accounts/organisation/", "/reviews/notices/",
        "/reviews/", "/reviews/joint/", "/recommendations/", *world_module.review_stage_urls(world),
        f"/alliances/{draft.pk}/", *draft_pages,
    ])

    huge, oversized = _huge_uploads(fuzzer, clients, forms)
    report(f"uploads of {django_settings.UPLOAD_MAX_BYTES * 3 // 2 >> 20} MiB with the production limit "
           f"({django_settings.UPLOAD_MAX_BYTES >> 20} MiB), one per upload check → refused with the check's own "
           f"message, no row, no file: {'; '.join(huge)}; form data over DATA_UPLOAD_MAX_MEMORY_SIZE "
           f"({django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE >> 20} MiB) to {oversized}, urlencoded and multipart → 400")
    assert not fuzzer.problems, "\n".join(fuzzer.problems[:40])

    settings.UPLOAD_MAX_BYTES = LIMIT
    settings.PROJECT_UPLOAD_MAX_BYTES = LIMIT
    tally_before, posts_before, checked_before = fuzzer.tally.copy(), fuzzer.posts_by_role.copy(), fuzzer.checked.copy()
    for role, form in forms:
        client = clients[role]
        for hostile in (False, True):
            fuzzer.post(role, client, form, *_fixed(form, hostile))

        _generated(fuzzer, role, client, form)()

    assert not fuzzer.problems, "\n".join(fuzzer.problems[:40])
    forms_by_role = Counter(role for role, _ in forms)
    posts_by_role, checked = fuzzer.posts_by_role - posts_before, fuzzer.checked - checked_before
    liaison = sorted({_view(form) for role, form in forms if role == "liaison"})
    report(f"{len(forms)} forms found on the pages as {len(people)} roles, {posts_by_role.total()} posts "
           f"(2 fixed hostile + {EXAMPLES} generated per form), forms/posts per role: "
           f"{', '.join(f'{role} {forms_by_role[role]}/{posts_by_role[role]}' for role in people)} (the liaison "
           f"officer's: {', '.join(liaison)}; /admin/ is Django's and not crawled) → statuses "
           f"{dict(sorted((fuzzer.tally - tally_before).items()))}: no 500, no unescaped script on any page showing "
           "the values, "
           f"{checked['refusals']} refusals (the form again or a redirect with an error) without a row written, "
           f"{checked['stored scripts']} saved scripts found in the database and shown escaped "
           f"({checked['pages read back']} pages read back)")

    encoded, sampled = _wrong_encodings(fuzzer, clients, forms)
    assert not fuzzer.problems, "\n".join(fuzzer.problems[:40])
    report(f"{encoded} posts declaring charset gbk / an unknown one / one that is no text codec (rot13, base64), "
           f"urlencoded and multipart, to {len(sampled)} forms ({', '.join(sampled)}) → no 500; "
           "urlencoded GBK → Django's 400, nothing saved")


def test_mark_read_with_a_bare_word_for_next_goes_back_to_the_list(member, report):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    response = client.post("/notifications/read-all/", {"next": "OZ"})
    assert (response.status_code, response["Location"]) == (302, "OZ")  # a relative URL, not a URL name
    report("mark all read with next='OZ' → a plain redirect (was a 500: redirect() took it for a URL name)")
