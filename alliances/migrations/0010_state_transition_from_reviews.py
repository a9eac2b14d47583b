# The application's transition record, moved from the reviews app: the same table
# (reviews_statetransition, its rows and index kept), now alliances.StateTransition in the state.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('alliances', '0009_names_without_invisible_characters'),
        ('reviews', '0011_state_transition_moved_to_alliances'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='StateTransition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(max_length=40, verbose_name='action')),
                        ('source', models.CharField(choices=[('draft', 'Draft'), ('district_review', 'District recommendation'), ('submitted', 'Submitted'), ('screening', 'Screening'), ('returned', 'Returned for revision'), ('resubmitted', 'Resubmitted'), ('expert_review', 'Expert review'), ('site_visit', 'Site visit'), ('joint_review', 'Joint review'), ('public_notice', 'Public notice'), ('pilot', 'Pilot'), ('assessment', 'Under assessment'), ('demonstration', 'Demonstration'), ('rectification', 'Rectification'), ('reassessment', 'Re-assessment'), ('revoked', 'Revoked'), ('withdrawn', 'Withdrawn'), ('rejected', 'Rejected'), ('not_recommended', 'Not recommended by district')], max_length=20, verbose_name='from')),
                        ('target', models.CharField(choices=[('draft', 'Draft'), ('district_review', 'District recommendation'), ('submitted', 'Submitted'), ('screening', 'Screening'), ('returned', 'Returned for revision'), ('resubmitted', 'Resubmitted'), ('expert_review', 'Expert review'), ('site_visit', 'Site visit'), ('joint_review', 'Joint review'), ('public_notice', 'Public notice'), ('pilot', 'Pilot'), ('assessment', 'Under assessment'), ('demonstration', 'Demonstration'), ('rectification', 'Rectification'), ('reassessment', 'Re-assessment'), ('revoked', 'Revoked'), ('withdrawn', 'Withdrawn'), ('rejected', 'Rejected'), ('not_recommended', 'Not recommended by district')], max_length=20, verbose_name='to')),
                        ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                        ('comment', models.TextField(blank=True, verbose_name='comment')),
                        ('version', models.PositiveIntegerField(blank=True, null=True, verbose_name='application version')),
                        ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('alliance', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='alliances.alliance')),
                    ],
                    options={
                        'verbose_name': 'state transition',
                        'verbose_name_plural': 'state transitions',
                        'db_table': 'reviews_statetransition',
                        'ordering': ['at', 'pk'],
                        'abstract': False,
                        'indexes': [models.Index(fields=['alliance', 'at'], name='reviews_sta_allianc_03c7d5_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
