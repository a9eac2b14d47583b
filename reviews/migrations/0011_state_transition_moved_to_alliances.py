# The application's transition record moved to the alliances app, beside the row it records
# (alliances.StateTransition); its table keeps its name, so nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0010_score_spreads_apart'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='StateTransition')],
            database_operations=[],
        ),
    ]
