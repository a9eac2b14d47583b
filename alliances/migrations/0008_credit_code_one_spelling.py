"""Credit codes in one spelling: every stored code upper-case without spaces, unique whatever its case.

Two organisations whose codes differ only in case are one organisation registered twice: which of them
to keep (memberships, users, applications hang on each) is the bureau's decision, so the migration
stops and names them rather than guess.
"""

import alliances.credit_code
import alliances.fields
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


def normalise_credit_codes(apps, schema_editor):
    Organisation = apps.get_model("alliances", "Organisation")
    by_code = {}
    for pk, code in Organisation.objects.order_by("pk").values_list("pk", "credit_code"):
        by_code.setdefault("".join(code.split()).upper(), []).append((pk, code))
    clashes = {code: rows for code, rows in by_code.items() if len(rows) > 1}
    if clashes:
        named = "; ".join(f"{code}: organisations {', '.join(str(pk) for pk, _ in rows)}"
                          for code, rows in sorted(clashes.items()))
        raise RuntimeError(
            "Organisations share a credit code in different spellings; merge or correct them in the admin "
            f"before migrating ({named})."
        )
    for code, [(pk, stored)] in by_code.items():
        if stored != code:
            Organisation.objects.filter(pk=pk).update(credit_code=code)


class Migration(migrations.Migration):

    dependencies = [
        ('alliances', '0007_member_unit_tally'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalorganisation',
            name='credit_code',
            field=alliances.fields.CreditCodeField(db_index=True, error_messages={'unique': 'An organisation with this unified social credit code is already registered.'}, max_length=18, validators=[alliances.credit_code.validate_credit_code], verbose_name='unified social credit code'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='credit_code',
            field=alliances.fields.CreditCodeField(error_messages={'unique': 'An organisation with this unified social credit code is already registered.'}, max_length=18, unique=True, validators=[alliances.credit_code.validate_credit_code], verbose_name='unified social credit code'),
        ),
        migrations.RunPython(normalise_credit_codes, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.CheckConstraint(
                condition=models.Q(("credit_code", django.db.models.functions.text.Upper("credit_code"))),
                name="organisation_credit_code_upper_case",
            ),
        ),
    ]
