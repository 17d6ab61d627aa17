# The organisation's key and self-signed certificate for the PAdES signature of issued PDF files, when none is
# given in the settings.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0006_signing_key"),
    ]

    operations = [
        migrations.CreateModel(
            name="SignatureCertificate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=30, unique=True)),
                ("private_key", models.TextField(editable=False, verbose_name="private key (PEM)")),
                ("certificate", models.TextField(editable=False, verbose_name="certificate (PEM)")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
            ],
            options={
                "verbose_name": "signature certificate",
                "verbose_name_plural": "signature certificates",
            },
        ),
    ]
