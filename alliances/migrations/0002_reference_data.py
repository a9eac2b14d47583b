from django.db import migrations

SECTORS = [
    ("next-gen-it", "新一代信息技术", "New-generation information technology"),
    ("energy-environment", "节能环保与新能源", "Energy saving, environmental protection and new energy"),
    ("new-materials", "新材料", "New materials"),
    ("biomedicine", "生物医药", "Biomedicine"),
    ("high-end-equipment", "高端装备制造", "High-end equipment manufacturing"),
]

DISTRICTS = [
    ("370302", "淄川区", "Zichuan District"),
    ("370303", "张店区", "Zhangdian District"),
    ("370304", "博山区", "Boshan District"),
    ("370305", "临淄区", "Linzi District"),
    ("370306", "周村区", "Zhoucun District"),
    ("370321", "桓台县", "Huantai County"),
    ("370322", "高青县", "Gaoqing County"),
    ("370323", "沂源县", "Yiyuan County"),
]


def load(apps, schema_editor):
    Sector = apps.get_model("alliances", "Sector")
    District = apps.get_model("alliances", "District")
    EligibilityRules = apps.get_model("alliances", "EligibilityRules")
    for position, (code, name, name_en) in enumerate(SECTORS):
        Sector.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "position": position})
    for code, name, name_en in DISTRICTS:
        District.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})
    EligibilityRules.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("alliances", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
