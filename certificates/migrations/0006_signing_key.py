# The organisation's Ed25519 key when none is given in the settings.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0005_references_internships"),
    ]

    operations = [
        migrations.CreateModel(
            name="SigningKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=30, unique=True)),
                ("seed", models.CharField(editable=False, max_length=64, verbose_name="private key (base64 seed)")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
            ],
            options={
                "verbose_name": "signing key",
                "verbose_name_plural": "signing keys",
            },
        ),
    ]
