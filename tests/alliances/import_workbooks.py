"""Workbooks for the import tests, built with openpyxl in the test itself (no binary fixtures)."""

import io
from datetime import date

from openpyxl import Workbook

from alliances import credit_code

ALLIANCE_HEADERS = ["联盟名称", "产业领域", "理事长单位统一社会信用代码", "认定级别", "认定日期", "证书编号",
                    "技术方向", "秘书处联系人", "秘书处电话", "秘书处邮箱"]
MEMBER_HEADERS = ["联盟名称", "单位名称", "统一社会信用代码", "单位类型", "所在区县", "联盟角色", "核心企业",
                  "联系人", "联系电话", "电子邮箱", "地址"]


def code(n: int, division: str = "370303") -> str:
    """A valid unified social credit code, distinct for each ``n``."""
    return credit_code.complete(f"91{division}MA{n:07d}")


def broken_code(n: int) -> str:
    """``code(n)`` with a wrong check character."""
    valid = code(n)
    wrong = "0" if valid[-1] != "0" else "1"
    return valid[:17] + wrong


def workbook_bytes(alliances, members, *, alliance_headers=ALLIANCE_HEADERS, member_headers=MEMBER_HEADERS,
                   alliance_sheet="联盟", member_sheet="成员单位") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = alliance_sheet
    sheet.append(alliance_headers)
    for row in alliances:
        sheet.append(row)
    if member_sheet:
        members_sheet = book.create_sheet(member_sheet)
        members_sheet.append(member_headers)
        for row in members:
            members_sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


A1 = "淄博市先进陶瓷产业技术创新战略联盟"
A2 = "淄博市生物医药产业技术创新战略联盟"
A3 = "淄博市新一代信息技术产业技术创新战略联盟"
A4 = "淄博市高端装备制造产业技术创新战略联盟"


def valid_rows(existing_code: str, existing_name: str):
    """Four alliances (2 pilot, 2 demonstration) and 26 member rows: 30 rows in all.

    Units 1–22 are new; unit 5 is in two alliances; ``existing_code`` is an organisation the portal
    already has (linked, not created).
    """
    alliances = [
        [A1, "新材料", code(1), "试点", date(2023, 6, 1), "〔2023〕012", "先进结构陶瓷", "王芳", "0533-2345678",
         "mishu@example.cn"],
        [A2, "biomedicine", code(7), "示范", date(2022, 3, 15), "〔2022〕005", "", "", "", ""],
        [A3, "新一代信息技术", code(13), "试点", "2023-11-20", "〔2023〕031", "", "", "", ""],
        [A4, "高端装备制造", code(18), "示范单位", "2021年9月8日", "〔2021〕002", "", "", "", ""],
    ]
    members = []

    def unit(alliance, n, role="成员", kind="企业", district="张店区", name=None):
        members.append([alliance, name or f"淄博导入测试单位{n}有限公司", code(n), kind, district, role, "", "张伟",
                        "13800000000", "", "淄博市张店区"])

    unit(A1, 1, "理事长")
    unit(A1, 2, "副理事长")
    unit(A1, 3, "秘书处")
    unit(A1, 4, "技术支撑", kind="高校", name="山东理工大学（导入测试）")
    unit(A1, 5)
    unit(A1, 6, district="淄川区")
    unit(A2, 7, "理事长")
    unit(A2, 8)
    unit(A2, 9, "技术支撑", kind="科研院所", name="淄博生物医药研究院（导入测试）")
    unit(A2, 5)  # also in A1
    unit(A2, 10, district="370305")
    unit(A2, 11)
    unit(A3, 13, "理事长")
    unit(A3, 14)
    unit(A3, 15, kind="其他", name="淄博市软件行业协会（导入测试）")
    unit(A3, 16)
    unit(A3, 17)
    members.append([A3, existing_name, existing_code, "企业", "张店区", "成员", "是", "", "", "", ""])
    unit(A4, 18, "理事长")
    unit(A4, 19)
    unit(A4, 20)
    unit(A4, 21)
    unit(A4, 22)
    unit(A4, 12)
    unit(A4, 23, "技术支撑", kind="高校", name="淄博职业学院（导入测试）")
    unit(A4, 24)
    assert len(alliances) + len(members) == 30
    return alliances, members
