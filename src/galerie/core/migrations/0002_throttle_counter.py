from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ThrottleCounter",
            fields=[
                ("key", models.CharField(max_length=80, primary_key=True, serialize=False)),
                ("count", models.IntegerField(default=0)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
            options={
                "verbose_name": "compteur de limitation",
                "verbose_name_plural": "compteurs de limitation",
            },
        ),
    ]
