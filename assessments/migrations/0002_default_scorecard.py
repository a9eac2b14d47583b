from decimal import Decimal

from django.db import migrations

# The six health dimensions of an alliance (DOMAIN.md, "Life cycle"), as the default scorecard.
CRITERIA = [
    ("technology_development", "技术发展", "Technology development", Decimal("20"),
     "共性关键技术研发进展、专利与标准产出、技术路线图的执行情况。"),
    ("economic_condition", "经济状况", "Economic condition", Decimal("15"),
     "研发投入完成情况、成员单位销售收入与利润的变化、新产品的市场表现。"),
    ("industry_position", "产业地位", "Industry position", Decimal("15"),
     "联盟在本产业中的影响力、对产业链的带动和技术扩散效果。"),
    ("structural_stability", "结构稳定性", "Structural stability", Decimal("15"),
     "成员单位的加入与退出、核心企业与研发机构的稳定参与、成员间的信任与合作。"),
    ("management_mechanisms", "管理机制健全性", "Soundness of management mechanisms", Decimal("15"),
     "理事会、专家技术委员会、常设机构的运转；经费、项目、知识产权和成果转化制度的执行。"),
    ("innovation_goals", "创新目标明确性", "Clarity of innovation goals", Decimal("20"),
     "工作方案目标的完成程度、年度目标的分解与落实、下一阶段目标是否清晰可行。"),
]


def load(apps, schema_editor):
    AssessmentCriterion = apps.get_model("assessments", "AssessmentCriterion")
    AssessmentRules = apps.get_model("assessments", "AssessmentRules")
    for position, (code, name, name_en, weight, description) in enumerate(CRITERIA):
        AssessmentCriterion.objects.get_or_create(code=code, defaults={
            "name": name, "name_en": name_en, "weight": weight, "max_score": Decimal("10"),
            "description": description, "position": position,
        })
    AssessmentRules.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
