"""Default configuration: review settings, screening checklist, scorecard criteria, joint-review departments.

The criteria follow the selection principles for pilot alliances and the contents of the work plan
(DOMAIN.md); the bureau edits all of it in the admin.
"""

from decimal import Decimal

from django.db import migrations

CHECKLIST = [
    ("basic", "联盟基本信息完整（名称、产业领域、技术方向、产出目标、秘书处联系方式）",
     "Basic information complete (name, sector, technical direction, output targets, secretariat contact)"),
    ("members", "成员单位均已确认，核心企业和研发机构数量符合申报条件",
     "Member units confirmed; enough core enterprises and R&D organisations"),
    ("members", "成员单位统一社会信用代码有效且已通过核验",
     "Members' unified social credit codes valid and verified"),
    ("governance", "理事会、专家技术委员会和常设机构健全",
     "Council, expert technical committee and standing body in place"),
    ("agreement", "已上传各成员单位签署盖章的联盟协议（PDF）",
     "Alliance agreement signed and sealed by every member uploaded (PDF)"),
    ("work_plan", "工作方案完整（成员组成、主要目标、工作任务、合作机制、组织管理及各项制度）",
     "Work plan complete (composition, goals, tasks, cooperation mechanism, management, rules)"),
    ("work_plan", "年度目标和研发投入计划填写完整，金额合计正确",
     "Yearly targets and planned R&D investment complete; totals add up"),
]

CRITERIA = [
    ("组建模式", "Composition", Decimal("20"),
     "以企业为主体、产学研结合，多方参与；签订具有法律约束力的联盟协议，有经费管理制度。"),
    ("产业契合度", "Fit with priority industries", Decimal("20"),
     "符合国家和区域重点发展的产业方向，聚焦产业共性关键技术和技术标准。"),
    ("发展规划与技术路线", "Development plan and technology roadmap", Decimal("20"),
     "发展目标明确，技术路线清晰，对产业具有辐射带动作用。"),
    ("开放性", "Openness", Decimal("10"),
     "能够吸纳新成员，积极开展对外交流与合作。"),
    ("工作方案", "Work plan", Decimal("20"),
     "主要目标、工作任务和研发投入具体可行，年度目标可考核。"),
    ("组织管理与合作机制", "Management and cooperation mechanism", Decimal("10"),
     "理事会、专家技术委员会和常设机构健全；项目、知识产权、信息共享和成果转化等制度完善。"),
]

DEPARTMENTS = [
    ("science-technology", "市科学技术局", "Science and Technology Bureau"),
    ("development-reform", "市发展和改革委员会", "Development and Reform Commission"),
    ("industry-it", "市工业和信息化局", "Industry and Information Technology Bureau"),
]


def load(apps, schema_editor):
    ReviewSettings = apps.get_model("reviews", "ReviewSettings")
    ScreeningCheckItem = apps.get_model("reviews", "ScreeningCheckItem")
    ScoreCriterion = apps.get_model("reviews", "ScoreCriterion")
    Department = apps.get_model("reviews", "Department")
    ReviewSettings.objects.get_or_create(pk=1)
    if not ScreeningCheckItem.objects.exists():
        for position, (section, text, text_en) in enumerate(CHECKLIST):
            ScreeningCheckItem.objects.create(section=section, text=text, text_en=text_en, position=position)
    if not ScoreCriterion.objects.exists():
        for position, (name, name_en, weight, guidance) in enumerate(CRITERIA):
            ScoreCriterion.objects.create(name=name, name_en=name_en, weight=weight, max_score=int(weight),
                                          guidance=guidance, position=position)
    for position, (code, name, name_en) in enumerate(DEPARTMENTS):
        Department.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en,
                                                              "position": position})


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_review_records")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
