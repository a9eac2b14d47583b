"""Import of alliances designated before the portal existed (存量联盟) from the bureau's Excel workbook.

The portal offers a template (``template_workbook``) with two data sheets, 联盟 (one row per alliance
and its designation) and 成员单位 (one row per member unit of an alliance), plus a sheet that explains
them. ``import_workbook`` reads an uploaded workbook, checks every row against the file itself and the
database, and either raises ``ImportRejected`` with every problem (sheet, row, column, cell value) and
saves nothing, or imports everything in one transaction. Importing the same file again changes nothing:
an alliance is recognised by its certificate number (held by the alliance of the same name and chairman).
"""

import io
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import xlsxwriter
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from simple_history.utils import bulk_create_with_history

from accounts import audit
from accounts.models import AuditEvent
from alliance_portal.core.errors import NotPermitted
from alliance_portal.core.validators import validate_no_invisible_controls
from alliances.models import StateTransition
from alliances.workflow import State
from reviews.models import CertificateCounter, Designation

from . import credit_code, tally
from .models import Alliance, District, Membership, Organisation, Sector, WorkPlan

BEIJING = ZoneInfo("Asia/Shanghai")
MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # a zip bomb unpacks to far more than any real workbook
MAX_ROWS = 5000
CERTIFICATE = re.compile(r"^〔(\d{4})〕(\d{3,6})$")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- The workbook's layout ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header written in the template
    english: str  # also accepted as a header
    required: bool
    note: str = ""


ALLIANCE_SHEET = "联盟"
MEMBER_SHEET = "成员单位"
GUIDE_SHEET = "说明"
LISTS_SHEET = "选项"

ALLIANCE_COLUMNS = (
    Column("name", "联盟名称", "Alliance name", True, "联盟的全称，与成员单位表中的联盟名称一致。"),
    Column("sector", "产业领域", "Industry sector", True, "从下拉列表中选择，或填写领域代码。"),
    Column("chairman_code", "理事长单位统一社会信用代码", "Chairman unit credit code", True,
           "18位统一社会信用代码；该单位须在成员单位表中列为理事长单位。"),
    Column("level", "认定级别", "Designation level", True, "试点 或 示范。"),
    Column("designated_on", "认定日期", "Designation date", True, "认定文件的日期，如 2023-06-01；不能晚于今天。"),
    Column("certificate_number", "证书编号", "Certificate number", True, "格式为〔年份〕序号，如〔2023〕012。"),
    Column("technical_direction", "技术方向", "Technical direction", False),
    Column("secretariat_contact", "秘书处联系人", "Secretariat contact", False),
    Column("secretariat_phone", "秘书处电话", "Secretariat phone", False),
    Column("secretariat_email", "秘书处邮箱", "Secretariat email", False),
)
MEMBER_COLUMNS = (
    Column("alliance", "联盟名称", "Alliance name", True, "须与联盟表中的联盟名称完全一致。"),
    Column("name", "单位名称", "Unit name", True, "营业执照或法人证书上的全称。"),
    Column("credit_code", "统一社会信用代码", "Unified social credit code", True, "18位，最后一位为校验码。"),
    Column("kind", "单位类型", "Kind", True, "企业、高校、科研院所 或 其他。"),
    Column("district", "所在区县", "District", True, "从下拉列表中选择。"),
    Column("role", "联盟角色", "Role", True, "理事长、副理事长、秘书处、技术支撑 或 成员。"),
    Column("is_core", "核心企业", "Core enterprise", False, "是 或 否（默认：企业为是）。"),
    Column("contact_person", "联系人", "Contact person", False),
    Column("phone", "联系电话", "Phone", False),
    Column("email", "电子邮箱", "Email", False),
    Column("address", "地址", "Address", False),
)
SHEETS = {ALLIANCE_SHEET: ALLIANCE_COLUMNS, MEMBER_SHEET: MEMBER_COLUMNS}
SHEET_ALIASES = {ALLIANCE_SHEET: ("联盟", "alliances"), MEMBER_SHEET: ("成员单位", "member units", "members")}

LEVEL_WORDS = {
    Designation.Level.PILOT: ("试点", "试点单位", "试点联盟", "pilot"),
    Designation.Level.DEMONSTRATION: ("示范", "示范单位", "示范联盟", "demonstration"),
}
KIND_WORDS = {
    Organisation.Kind.ENTERPRISE: ("企业",),
    Organisation.Kind.UNIVERSITY: ("高校", "高等院校", "大学"),
    Organisation.Kind.INSTITUTE: ("科研院所", "研究院所", "科研机构"),
    Organisation.Kind.OTHER: ("其他", "其他机构"),
}
ROLE_WORDS = {
    Membership.Role.CHAIRMAN: ("理事长", "理事长单位"),
    Membership.Role.VICE_CHAIRMAN: ("副理事长", "副理事长单位"),
    Membership.Role.SECRETARIAT: ("秘书处", "秘书处单位", "秘书长单位"),
    Membership.Role.TECHNICAL_SUPPORT: ("技术支撑", "技术支撑单位"),
    Membership.Role.MEMBER: ("成员", "成员单位"),
}
YES = ("是", "yes", "y", "true", "1", "√")
NO = ("否", "no", "n", "false", "0", "")

# Kinds of problem: the message is written per problem, the kind lets tests and the page group them.
KINDS = {
    "missing_sheet": gettext_lazy("Missing sheet"),
    "missing_column": gettext_lazy("Missing column"),
    "required": gettext_lazy("Missing value"),
    "too_long": gettext_lazy("Too long"),
    "invalid_credit_code": gettext_lazy("Invalid credit code"),
    "unknown_sector": gettext_lazy("Unknown sector"),
    "unknown_district": gettext_lazy("Unknown district"),
    "unknown_kind": gettext_lazy("Unknown kind of unit"),
    "unknown_role": gettext_lazy("Unknown role"),
    "unknown_level": gettext_lazy("Unknown designation level"),
    "unknown_value": gettext_lazy("Unknown value"),
    "bad_date": gettext_lazy("Not a date"),
    "future_date": gettext_lazy("Date in the future"),
    "certificate_format": gettext_lazy("Certificate number format"),
    "invalid_email": gettext_lazy("Invalid email"),
    "duplicate_alliance": gettext_lazy("Alliance twice in the file"),
    "duplicate_certificate": gettext_lazy("Certificate number twice in the file"),
    "duplicate_member": gettext_lazy("Unit twice in one alliance"),
    "conflicting_name": gettext_lazy("One credit code, two names"),
    "unknown_alliance": gettext_lazy("Alliance not in the alliance sheet"),
    "chairman_missing": gettext_lazy("Chairman unit not in the member sheet"),
    "chairman_role": gettext_lazy("Chairman role"),
    "certificate_taken": gettext_lazy("Certificate number already used"),
    "alliance_exists": gettext_lazy("Alliance already in the portal"),
    "name_mismatch": gettext_lazy("Registered under another name"),
    "too_many_rows": gettext_lazy("Too many rows"),
    "conflict": gettext_lazy("Saved by another import"),
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the workbook. ``row`` is the spreadsheet's row number (1 = header)."""

    sheet: str
    row: int
    column: str  # the column letter, "" for a whole sheet
    kind: str
    message: str = field(compare=False)
    value: str = field(default="", compare=False)
    header: str = field(default="", compare=False)

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def key(self) -> tuple:
        return (self.sheet, self.row, self.column, self.kind)


def in_reading_order(problems) -> list[Problem]:
    """The alliance sheet first, then the member sheet; by row, then column (A … Z, AA …)."""
    order = list(SHEETS)
    return sorted(problems, key=lambda p: (order.index(p.sheet) if p.sheet in order else -1, p.row,
                                           len(p.column), p.column, p.kind))


class UnreadableWorkbook(Exception):
    """The upload is not an xlsx workbook (or is damaged): a form error, never a 500."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ImportRejected(Exception):
    """The workbook has problems; nothing was saved."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = in_reading_order(problems)


@dataclass
class ImportSummary:
    alliances_created: int = 0
    alliances_unchanged: int = 0
    units_created: int = 0
    units_linked: int = 0
    memberships_created: int = 0
    unchanged_names: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(self.alliances_created)


# --- Reading -------------------------------------------------------------------------------------------

@dataclass
class Cell:
    value: object
    letter: str
    header: str

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return str(self.value).strip()


@dataclass
class Row:
    sheet: str
    number: int
    cells: dict[str, Cell]

    def text(self, key) -> str:
        cell = self.cells.get(key)
        return cell.text if cell else ""

    def problem(self, key, kind, message) -> Problem:
        cell = self.cells.get(key)
        return Problem(self.sheet, self.number, cell.letter if cell else "", kind, str(message),
                       value=cell.text[:200] if cell else "", header=cell.header if cell else "")


def _norm(value) -> str:
    """Compare names the way people read them: full-width and half-width alike, spaces ignored."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).casefold()


def _open(uploaded):
    size = getattr(uploaded, "size", None) or 0
    if size == 0:
        raise UnreadableWorkbook(_("The file is empty."))
    if size > MAX_BYTES:
        raise UnreadableWorkbook(_("The file is larger than 5 MB; split it into several workbooks."))
    uploaded.seek(0)
    data = uploaded.read()
    # Recognise the file by its content, whatever it is called: an xlsx is a zip with a workbook part.
    not_xlsx = UnreadableWorkbook(_("This is not an Excel workbook (.xlsx). Save it from Excel as “Excel "
                                    "Workbook (*.xlsx)” and upload it again."))
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as damaged:
        raise not_xlsx from damaged
    if "xl/workbook.xml" not in names:
        raise not_xlsx
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableWorkbook(_("The workbook is too large to read; split it into several workbooks."))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as damaged:  # openpyxl raises many kinds for damaged files; all mean the same here
        raise UnreadableWorkbook(_("The workbook could not be read (it may be damaged). Open it in Excel, "
                                   "save it again and upload it.")) from damaged


def _find_sheet(workbook, name):
    wanted = {_norm(alias) for alias in SHEET_ALIASES[name]}
    return next((workbook[title] for title in workbook.sheetnames if _norm(title) in wanted), None)


def _read_sheet(workbook, name, problems) -> list[Row]:
    columns = SHEETS[name]
    sheet = _find_sheet(workbook, name)
    if sheet is None:
        problems.append(Problem(name, 0, "", "missing_sheet",
                                _("The workbook has no sheet “%(sheet)s”: start from the template.") % {"sheet": name}))
        return []
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    by_header = {}
    for index, title in enumerate(header):
        if title is None:
            continue
        text = _norm(str(title).split("\n")[0].replace("*", ""))
        for column in columns:
            if text in (_norm(column.header), _norm(column.english), column.key):
                by_header.setdefault(column.key, (index, column))
    missing = [column for column in columns if column.required and column.key not in by_header]
    for column in missing:
        problems.append(Problem(name, 1, "", "missing_column",
                                _("The column “%(column)s” is missing.") % {"column": column.header},
                                header=column.header))
    if missing:
        return []
    result = []
    for number, values in enumerate(rows, start=2):
        if not any(value not in (None, "") and str(value).strip() for value in values):
            continue
        if len(result) >= MAX_ROWS:
            problems.append(Problem(name, number, "", "too_many_rows",
                                    _("A sheet may have at most %(count)d rows; split the workbook.")
                                    % {"count": MAX_ROWS}))
            break
        cells = {}
        for key, (index, column) in by_header.items():
            value = values[index] if index < len(values) else None
            cells[key] = Cell(value, get_column_letter(index + 1), column.header)
        result.append(Row(name, number, cells))
    return result


# --- Checking ----------------------------------------------------------------------------------------

def _lookup(words: dict, choices) -> dict:
    table = {}
    for value, label in choices:
        table[_norm(value)] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                table[_norm(str(label))] = value
    for value, spelt in words.items():
        for word in spelt:
            table[_norm(word)] = value
    return table


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


@dataclass
class AllianceRecord:
    row: Row
    name: str
    sector: Sector | None = None
    chairman_code: str = ""
    level: str = ""
    designated_on: date | None = None
    certificate_number: str = ""
    year: int = 0
    sequence: int = 0
    members: list = field(default_factory=list)


@dataclass
class MemberRecord:
    row: Row
    alliance: str
    name: str
    credit_code: str
    kind: str = ""
    district: District | None = None
    role: str = ""
    is_core: bool = False


def _required(row, columns, problems) -> set[str]:
    """Report empty required cells and over-long texts; return the keys that are missing."""
    missing = set()
    for column in columns:
        text = row.text(column.key)
        if column.required and not text:
            missing.add(column.key)
            problems.append(row.problem(column.key, "required",
                                        _("“%(column)s” is required.") % {"column": column.header}))
        elif len(text) > 200:
            problems.append(row.problem(column.key, "too_long",
                                        _("At most 200 characters, please.")))
        elif column.key == "name":
            try:
                validate_no_invisible_controls(text)
            except ValidationError as refused:
                problems.append(row.problem(column.key, refused.code, " ".join(refused.messages)))
    return missing


def _check_code(row, key, problems) -> str:
    code = credit_code.normalise(row.text(key))
    found = credit_code.problems(code)
    if found:
        problems.append(row.problem(key, "invalid_credit_code", " ".join(found)))
        return ""
    return code


def _check_alliances(rows, problems, *, today) -> list[AllianceRecord]:
    sectors = {}
    for sector in Sector.objects.all():
        for spelling in (sector.code, sector.name, sector.name_en):
            if spelling:
                sectors[_norm(spelling)] = sector
    levels = _lookup(LEVEL_WORDS, Designation.Level.choices)
    records, names, certificates = [], {}, {}
    for row in rows:
        missing = _required(row, ALLIANCE_COLUMNS, problems)
        record = AllianceRecord(row=row, name=row.text("name"))
        if record.name:
            first = names.get(_norm(record.name))
            if first is not None:
                problems.append(row.problem("name", "duplicate_alliance",
                                            _("This alliance is already listed in row %(row)d.") % {"row": first}))
            else:
                names[_norm(record.name)] = row.number
        if "sector" not in missing:
            record.sector = sectors.get(_norm(row.text("sector")))
            if record.sector is None:
                problems.append(row.problem("sector", "unknown_sector",
                                            _("Unknown sector: choose one from the list.")))
        if "chairman_code" not in missing:
            record.chairman_code = _check_code(row, "chairman_code", problems)
        if "level" not in missing:
            record.level = levels.get(_norm(row.text("level")), "")
            if not record.level:
                problems.append(row.problem("level", "unknown_level", _("Write 试点 (pilot) or 示范 (demonstration).")))
        if "designated_on" not in missing:
            record.designated_on = _parse_date(row.cells["designated_on"].value)
            if record.designated_on is None:
                problems.append(row.problem("designated_on", "bad_date",
                                            _("Not a date: write it as 2023-06-01.")))
            elif record.designated_on > today:
                problems.append(row.problem("designated_on", "future_date",
                                            _("The designation date lies in the future.")))
                record.designated_on = None
        if "certificate_number" not in missing:
            number = "".join(row.text("certificate_number").split())
            match = CERTIFICATE.match(number)
            if match is None:
                problems.append(row.problem("certificate_number", "certificate_format",
                                            _("Write the certificate number as 〔year〕number, e.g. 〔2023〕012.")))
            else:
                record.year, record.sequence = int(match.group(1)), int(match.group(2))
                record.certificate_number = Designation.format_number(record.year, record.sequence)
                first = certificates.get(record.certificate_number)
                if first is not None:
                    problems.append(row.problem("certificate_number", "duplicate_certificate",
                                                _("This certificate number is already used in row %(row)d.")
                                                % {"row": first}))
                else:
                    certificates[record.certificate_number] = row.number
        email = row.text("secretariat_email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(row.problem("secretariat_email", "invalid_email", _("Not an email address.")))
        records.append(record)
    return records


def _check_members(rows, alliances: dict[str, AllianceRecord], problems) -> list[MemberRecord]:
    districts = {}
    for district in District.objects.all():
        for spelling in (district.code, district.name, district.name_en):
            if spelling:
                districts[_norm(spelling)] = district
    kinds = _lookup(KIND_WORDS, Organisation.Kind.choices)
    roles = _lookup(ROLE_WORDS, Membership.Role.choices)
    records, names_by_code, seen_in_alliance = [], {}, {}
    for row in rows:
        missing = _required(row, MEMBER_COLUMNS, problems)
        record = MemberRecord(row=row, alliance=row.text("alliance"), name=row.text("name"), credit_code="")
        alliance = alliances.get(_norm(record.alliance)) if record.alliance else None
        if record.alliance and alliance is None:
            problems.append(row.problem("alliance", "unknown_alliance",
                                        _("No alliance of this name in the sheet “%(sheet)s”.")
                                        % {"sheet": ALLIANCE_SHEET}))
        if "credit_code" not in missing:
            record.credit_code = _check_code(row, "credit_code", problems)
        if record.credit_code and record.name:
            first = names_by_code.get(record.credit_code)
            if first is None:
                names_by_code[record.credit_code] = (record.name, row.number)
            elif _norm(first[0]) != _norm(record.name):
                problems.append(row.problem("name", "conflicting_name",
                                            _("Row %(row)d gives this credit code the name “%(name)s”.")
                                            % {"row": first[1], "name": first[0]}))
        if record.credit_code and alliance is not None:
            key = (_norm(record.alliance), record.credit_code)
            if key in seen_in_alliance:
                problems.append(row.problem("credit_code", "duplicate_member",
                                            _("This unit is already listed for this alliance in row %(row)d.")
                                            % {"row": seen_in_alliance[key]}))
            else:
                seen_in_alliance[key] = row.number
        if "kind" not in missing:
            record.kind = kinds.get(_norm(row.text("kind")), "")
            if not record.kind:
                problems.append(row.problem("kind", "unknown_kind", _("Write 企业, 高校, 科研院所 or 其他.")))
        if "district" not in missing:
            record.district = districts.get(_norm(row.text("district")))
            if record.district is None:
                problems.append(row.problem("district", "unknown_district",
                                            _("Unknown district: choose one from the list.")))
        if "role" not in missing:
            record.role = roles.get(_norm(row.text("role")), "")
            if not record.role:
                problems.append(row.problem("role", "unknown_role",
                                            _("Write 理事长, 副理事长, 秘书处, 技术支撑 or 成员.")))
        core = _norm(row.text("is_core"))
        if core in YES:
            record.is_core = True
        elif core in NO:
            record.is_core = core == "" and record.kind == Organisation.Kind.ENTERPRISE
        else:
            problems.append(row.problem("is_core", "unknown_value", _("Write 是 (yes) or 否 (no).")))
        email = row.text("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(row.problem("email", "invalid_email", _("Not an email address.")))
        if alliance is not None and record.credit_code:
            is_chairman = bool(alliance.chairman_code) and record.credit_code == alliance.chairman_code
            if record.role and (record.role == Membership.Role.CHAIRMAN) != is_chairman:
                problems.append(row.problem("role", "chairman_role", _(
                    "The chairman unit of the alliance (its credit code in the sheet “%(sheet)s”) is the one unit "
                    "with the role 理事长.") % {"sheet": ALLIANCE_SHEET}))
            alliance.members.append(record)
        records.append(record)
    for alliance in alliances.values():
        if alliance.chairman_code and not any(m.credit_code == alliance.chairman_code for m in alliance.members):
            problems.append(alliance.row.problem("chairman_code", "chairman_missing",
                                                 _("The chairman unit is not listed for this alliance in the sheet "
                                                   "“%(sheet)s”.") % {"sheet": MEMBER_SHEET}))
    return records


@dataclass
class Plan:
    """A checked workbook: what to create, what is there already."""

    alliances: list[AllianceRecord]
    members: list[MemberRecord]
    existing_units: dict[str, Organisation]
    unchanged: set[str]  # certificate numbers of alliances imported before


def _check_database(alliances, members, problems) -> Plan:
    """Problems against what the portal holds; which alliances were imported already."""
    numbers = [a.certificate_number for a in alliances if a.certificate_number]
    held = {d.certificate_number: d for d in
            Designation.objects.filter(certificate_number__in=numbers).select_related("alliance__chairman")}
    same_name = defaultdict(list)
    for alliance in Alliance.objects.filter(name__in=[a.name for a in alliances if a.name]).select_related("chairman"):
        same_name[_norm(alliance.name)].append(alliance)
    unchanged = set()
    for record in alliances:
        designation = held.get(record.certificate_number)
        if designation is not None:
            holder = designation.alliance
            if _norm(holder.name) == _norm(record.name) and holder.chairman.credit_code == record.chairman_code:
                unchanged.add(record.certificate_number)
                continue
            problems.append(record.row.problem("certificate_number", "certificate_taken", _(
                "The portal already gave this certificate number to “%(alliance)s”.") % {"alliance": holder.name}))
            continue
        for other in same_name.get(_norm(record.name), []):
            problems.append(record.row.problem("name", "alliance_exists", _(
                "The portal already has an alliance of this name (%(state)s, chaired by %(chairman)s).")
                % {"state": other.get_state_display(), "chairman": other.chairman.name}))
            break
    codes = {m.credit_code for m in members if m.credit_code}
    existing = {unit.credit_code: unit for unit in Organisation.objects.filter(credit_code__in=codes)}
    for record in members:
        unit = existing.get(record.credit_code)
        if unit is not None and record.name and _norm(unit.name) != _norm(record.name):
            problems.append(record.row.problem("name", "name_mismatch", _(
                "The portal has this credit code registered as “%(name)s”.") % {"name": unit.name}))
    return Plan(alliances, members, existing, unchanged)


def check_workbook(uploaded, *, today: date | None = None) -> tuple[Plan | None, list[Problem]]:
    """Read and check the workbook; returns the plan and every problem found (empty when it may be imported).

    Raises ``UnreadableWorkbook`` when the file is not an xlsx workbook.
    """
    sheets, problems = _read(uploaded)
    if problems:
        return None, problems
    return _check(sheets, today=today or timezone.localdate())


def _read(uploaded) -> tuple[tuple[list[Row], list[Row]], list[Problem]]:
    workbook = _open(uploaded)
    problems: list[Problem] = []
    try:
        alliance_rows = _read_sheet(workbook, ALLIANCE_SHEET, problems)
        member_rows = _read_sheet(workbook, MEMBER_SHEET, problems)
    finally:
        workbook.close()
    if not problems and not alliance_rows:
        problems.append(Problem(ALLIANCE_SHEET, 2, "", "required", _("The sheet lists no alliance.")))
    return (alliance_rows, member_rows), in_reading_order(problems)


def _check(sheets, *, today: date) -> tuple[Plan, list[Problem]]:
    alliance_rows, member_rows = sheets
    problems: list[Problem] = []
    alliances = _check_alliances(alliance_rows, problems, today=today)
    by_name = {}
    for record in alliances:
        by_name.setdefault(_norm(record.name), record)
    members = _check_members(member_rows, {k: v for k, v in by_name.items() if k}, problems)
    plan = _check_database(alliances, members, problems)
    return plan, in_reading_order(set(problems))


# --- Importing ---------------------------------------------------------------------------------------

def _designated_at(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BEIJING)


def import_workbook(uploaded, *, by, today: date | None = None) -> ImportSummary:
    """Import the alliances, member units and designations of the workbook in one transaction.

    Precondition: ``by`` is a bureau officer. Raises ``ImportRejected`` with every problem (nothing
    saved) and ``UnreadableWorkbook`` for a file that is not a workbook. Alliances imported before
    (same certificate number, name and chairman) are left unchanged.
    """

    if not by.has_perm("alliances.import_alliances"):
        raise NotPermitted(_("Only bureau officers may import alliances."))
    name = getattr(uploaded, "name", "")
    today = today or timezone.localdate()
    sheets, problems = _read(uploaded)
    if not problems:
        plan, problems = _check(sheets, today=today)
    if problems:
        audit.record("alliances_import", user=by, outcome=AuditEvent.Outcome.REFUSED, file=name,
                     problems=len(problems))
        raise ImportRejected(problems)
    try:
        return _import_locked(sheets, plan, by=by, today=today, name=name)
    except IntegrityError as clash:  # another import created some of the same units at the same moment
        raise ImportRejected([Problem("", 0, "", "conflict", _(
            "Another import saved some of these records at the same moment; nothing of this workbook was saved. "
            "Upload it again."))]) from clash


def _import_locked(sheets, plan, *, by, today, name) -> ImportSummary:
    with transaction.atomic():
        years = sorted({a.year for a in plan.alliances})
        # Taking the year counters first serialises imports and designations of those years.
        CertificateCounter.objects.bulk_create([CertificateCounter(year=year) for year in years],
                                               ignore_conflicts=True)
        counters = {c.year: c for c in CertificateCounter.objects.select_for_update().filter(year__in=years)
                    .order_by("year")}
        # Checked again under the lock: another officer may have imported the same file a moment ago.
        plan, problems = _check(sheets, today=today)
        if problems:
            raise ImportRejected(problems)
        summary = _apply(plan, by=by, counters=counters)
        audit.record("alliances_import", user=by, file=name, alliances=summary.alliances_created,
                     unchanged=summary.alliances_unchanged, units_created=summary.units_created,
                     units_linked=summary.units_linked)
    return summary


def _apply(plan: Plan, *, by, counters) -> ImportSummary:
    summary = ImportSummary()
    now = timezone.now()
    units = dict(plan.existing_units)
    new_units = []
    linked = set()
    todo = [a for a in plan.alliances if a.certificate_number not in plan.unchanged]
    summary.alliances_unchanged = len(plan.alliances) - len(todo)
    summary.unchanged_names = [a.name for a in plan.alliances if a.certificate_number in plan.unchanged]
    for alliance in todo:
        for member in alliance.members:
            if member.credit_code in units:
                if member.credit_code in plan.existing_units:
                    linked.add(member.credit_code)
                continue
            unit = Organisation(
                name=member.name, kind=member.kind, credit_code=member.credit_code, district=member.district,
                address=member.row.text("address"), contact_person=member.row.text("contact_person"),
                phone=member.row.text("phone"), email=member.row.text("email"),
                verification=Organisation.Verification.VERIFIED, verified_at=now, verified_by=by,
                verification_note=_("Verified by the bureau's import of existing alliances."),
                created_at=now, imported_at=now,
            )
            units[member.credit_code] = unit
            new_units.append(unit)
    # In bulk, with the field history (simple-history) of each creation, in a few statements for 4,000 units.
    bulk_create_with_history(new_units, Organisation, batch_size=500, default_user=by)
    units.update({unit.credit_code: unit for unit in
                  Organisation.objects.filter(credit_code__in=[u.credit_code for u in new_units])})
    # the dashboard's member-unit tally: the keys of every unit confirmed here, before and after
    involved = Organisation.objects.filter(credit_code__in={m.credit_code for a in todo for m in a.members})
    tally_before = tally.keys_of(involved)
    for alliance in todo:
        designated_at = _designated_at(alliance.designated_on)
        state = State.PILOT if alliance.level == Designation.Level.PILOT else State.DEMONSTRATION
        row = alliance.row
        created = Alliance.objects.create(
            name=alliance.name, sector=alliance.sector, chairman=units[alliance.chairman_code],
            technical_direction=row.text("technical_direction"),
            secretariat_contact=row.text("secretariat_contact")[:50],
            secretariat_phone=row.text("secretariat_phone")[:30], secretariat_email=row.text("secretariat_email"),
            state=state, state_changed_at=designated_at, created_by=by, created_at=now, imported_at=now,
        )
        WorkPlan.objects.create(alliance=created)
        bulk_create_with_history(
            [Membership(alliance=created, organisation=units[m.credit_code], role=m.role, is_core=m.is_core,
                        status=Membership.Status.CONFIRMED, invited_by=by, invited_at=designated_at)
             for m in alliance.members],
            Membership, default_user=by,
        )
        summary.memberships_created += len(alliance.members)
        Designation.objects.create(
            alliance=created, level=alliance.level, year=alliance.year, sequence=alliance.sequence,
            certificate_number=alliance.certificate_number, designated_at=designated_at, designated_by=by,
        )
        counter = counters[alliance.year]
        if alliance.sequence > counter.last_sequence:
            counter.last_sequence = alliance.sequence
            counter.save(update_fields=["last_sequence"])
        comment = _("Imported: designated %(level)s on %(date)s, certificate %(number)s.") % {
            "level": Designation.Level(alliance.level).label, "date": alliance.designated_on.isoformat(),
            "number": alliance.certificate_number}
        StateTransition.objects.create(alliance=created, action="import", source=state, target=state, actor=by,
                                       at=now, comment=comment)
        audit.record("alliance_imported", user=by, obj=created, certificate=alliance.certificate_number,
                     level=str(alliance.level), designated_on=alliance.designated_on.isoformat())
        summary.alliances_created += 1
    tally.recount(keys=tally_before | tally.keys_of(involved))
    summary.units_created = len(new_units)
    summary.units_linked = len(linked)
    return summary


# --- The template ------------------------------------------------------------------------------------

def template_workbook() -> bytes:
    """The workbook officers fill in: headers with notes, drop-down lists and a sheet that explains it."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                  "valign": "vcenter"})
    required_header = workbook.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True,
                                           "valign": "vcenter"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    text_format = workbook.add_format({"num_format": "@"})
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    lists = {
        "sector": [s.name for s in Sector.objects.filter(is_active=True)],
        "level": ["试点", "示范"],
        "kind": ["企业", "高校", "科研院所", "其他"],
        "district": [d.name for d in District.objects.order_by("code")],
        "role": ["理事长", "副理事长", "秘书处", "技术支撑", "成员"],
        "is_core": ["是", "否"],
    }
    data_sheets = {name: workbook.add_worksheet(name) for name in SHEETS}
    guide = workbook.add_worksheet(GUIDE_SHEET)
    options = workbook.add_worksheet(LISTS_SHEET)
    ranges = {}
    for index, (key, values) in enumerate(lists.items()):
        options.write(0, index, key, bold)
        options.write_column(1, index, values)
        letter = get_column_letter(index + 1)
        ranges[key] = f"='{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    options.hide()

    for name, columns in SHEETS.items():
        sheet = data_sheets[name]
        sheet.set_row(0, 36)
        for index, column in enumerate(columns):
            title = f"{column.header}*" if column.required else column.header
            sheet.write(0, index, title, required_header if column.required else header)
            if column.note:
                sheet.write_comment(0, index, column.note, {"x_scale": 1.6})
            width = 30 if column.key in ("name", "alliance", "technical_direction", "address") else 18
            cell_format = date_format if column.key == "designated_on" else (
                text_format if column.key in ("chairman_code", "credit_code", "certificate_number", "phone",
                                              "secretariat_phone") else None)
            sheet.set_column(index, index, width, cell_format)
            if column.key in ranges:
                sheet.data_validation(1, index, MAX_ROWS, index, {
                    "validate": "list", "source": ranges[column.key], "ignore_blank": True,
                    "error_title": "请从列表中选择", "error_message": "请从下拉列表中选择一个值。",
                })
            if column.key == "designated_on":
                sheet.data_validation(1, index, MAX_ROWS, index, {
                    "validate": "date", "criteria": "between", "minimum": date(1990, 1, 1),
                    "maximum": date(2099, 12, 31), "input_title": "认定日期", "input_message": "如 2023-06-01",
                })
        sheet.freeze_panes(1, 0)

    guide.set_column(0, 0, 22)
    guide.set_column(1, 1, 90, wrap)
    lines = [
        ("存量联盟导入模板", ""),
        ("用途", "导入本平台上线前已认定的试点、示范联盟及其成员单位。每个联盟在“联盟”表中占一行，"
                "其每个成员单位（含理事长单位）在“成员单位”表中占一行。"),
        ("必填列", "表头带 * 且底色为橙色的列必须填写。表头的批注说明了每一列的填写要求。"),
        ("校验", "导入前逐行校验：统一社会信用代码（含校验码）、重复的联盟、证书编号和单位、"
               "未知的产业领域、区县、单位类型和角色、日期。有任何错误时不保存任何数据，并按工作表、行、列列出全部错误。"),
        ("重复导入", "同一文件再次导入不会改变任何数据：证书编号相同且联盟名称和理事长单位一致的联盟视为已导入。"),
        ("", ""),
        ("示例：联盟表", ""),
    ]
    for row, (label, text) in enumerate(lines):
        guide.write(row, 0, label, bold)
        guide.write(row, 1, text)
    example_alliance = ["淄博市先进陶瓷产业技术创新战略联盟", lists["sector"][0] if lists["sector"] else "新材料",
                        "91370303MA3C7XXXXX", "试点", "2023-06-01", "〔2023〕012", "先进结构陶瓷共性技术",
                        "王芳", "0533-2345678", "mishu@example.cn"]
    example_member = ["淄博市先进陶瓷产业技术创新战略联盟", "淄博某某陶瓷有限公司", "91370303MA3C7XXXXX", "企业",
                      lists["district"][0] if lists["district"] else "张店区", "理事长", "是", "张伟",
                      "13800000000", "contact@example.cn", "淄博市张店区人民西路1号"]
    row = len(lines)
    guide.write_row(row, 0, [c.header for c in ALLIANCE_COLUMNS], bold)
    guide.write_row(row + 1, 0, example_alliance)
    guide.write(row + 3, 0, "示例：成员单位表", bold)
    guide.write_row(row + 4, 0, [c.header for c in MEMBER_COLUMNS], bold)
    guide.write_row(row + 5, 0, example_member)
    guide.write(row + 7, 0, "说明", bold)
    guide.write(row + 7, 1, "示例中的统一社会信用代码仅示意格式，请填写单位营业执照上的真实代码。")
    workbook.close()
    return buffer.getvalue()
