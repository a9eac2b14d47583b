"""One account per email address, compared ignoring case (blank addresses aside).

Existing accounts that share an address keep it on the oldest account (the one password resets
already reached); the others' address is blanked (never deleted, never guessed) and an audit event
``email_cleared_duplicate`` records the old address and the account that kept it, so the bureau
can ask those people for their own address.
"""

import django.db.models.functions.text
from django.db import migrations, models


def clear_duplicate_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    keeper = {}
    for pk, username, email in User.objects.exclude(email="").order_by("date_joined", "pk").values_list(
            "pk", "username", "email"):
        key = email.lower()
        if key not in keeper:
            keeper[key] = pk
            continue
        User.objects.filter(pk=pk).update(email="")
        AuditEvent.objects.create(
            user_id=pk, username=username, action="email_cleared_duplicate", outcome="ok",
            object_type="accounts.user", object_id=str(pk), detail={"email": email, "kept_by": keeper[key]},
        )


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_district'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.RunPython(clear_duplicate_emails, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), condition=models.Q(('email', ''), _negated=True), name='user_email_unique_ignoring_case', violation_error_message='An account with this email address exists already.'),
        ),
    ]
