# The public verification pages rendered ahead, one row per token and language, shared by every process.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0007_signature_certificate"),
    ]

    operations = [
        migrations.CreateModel(
            name="VerificationPage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=64)),
                ("language", models.CharField(max_length=8)),
                ("version", models.CharField(max_length=16)),
                ("valid_until", models.DateField(null=True)),
                ("body", models.TextField()),
                ("body_expired", models.TextField(blank=True)),
                ("prepared_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "certificate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="certificates.certificate",
                    ),
                ),
                (
                    "duplicate",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="certificates.certificateduplicate",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("token", "language"), name="verification_page_unique")
                ],
            },
        ),
    ]
