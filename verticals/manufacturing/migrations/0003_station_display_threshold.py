from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('manufacturing', '0002_station_contrast_guard'),
    ]

    operations = [
        migrations.AddField(
            model_name='station',
            name='display_threshold',
            field=models.FloatField(blank=True, help_text='boxes scoring below this are not drawn on a part (the verdict still uses the reject threshold); empty = the higher of 0.3 and the reject threshold', null=True),
        ),
    ]
