"""EmailLog names its brand and contact; campaign mail has no deal (docs/adr/0015)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_brand_and_contact(apps, schema_editor):
    EmailLog = apps.get_model("crm", "EmailLog")
    Deal = apps.get_model("crm", "Deal")
    deal = Deal.objects.filter(pk=OuterRef("deal_id"))
    EmailLog.objects.update(
        brand_id=Subquery(deal.values("pipeline__brand_id")[:1]),
        contact_id=Subquery(deal.values("contact_id")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("crm", "0010_contact_import_claims")]

    operations = [
        migrations.AddField(
            model_name="emaillog",
            name="brand",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="emails", to="crm.brand"
            ),
        ),
        migrations.AddField(
            model_name="emaillog",
            name="contact",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.CASCADE, related_name="emails", to="crm.contact"
            ),
        ),
        migrations.RunPython(fill_brand_and_contact, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="emaillog",
            name="brand",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="emails", to="crm.brand"),
        ),
        migrations.AlterField(
            model_name="emaillog",
            name="contact",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="emails", to="crm.contact"
            ),
        ),
        migrations.AlterField(
            model_name="emaillog",
            name="deal",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for campaign mail",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="crm.deal",
            ),
        ),
        migrations.AddField(
            model_name="emaillog",
            name="kind",
            field=models.CharField(
                choices=[("autopilot", "Autopilot"), ("campaign", "Campaign")],
                db_default="autopilot",
                default="autopilot",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="emaillog",
            name="priority",
            field=models.PositiveSmallIntegerField(
                db_default=0, default=0, help_text="0 goes before 1 (campaign mail)"
            ),
        ),
        migrations.AddField(
            model_name="emaillog",
            name="text_body",
            field=models.TextField(
                blank=True, db_default="", default="", help_text="Plain text written for it; empty: made from the HTML"
            ),
        ),
        migrations.AddIndex(
            model_name="emaillog",
            index=models.Index(fields=["brand", "status", "priority", "created_at"], name="email_brand_queue"),
        ),
        migrations.AddIndex(
            model_name="emaillog",
            index=models.Index(fields=["brand", "claimed_at"], name="email_brand_claimed"),
        ),
    ]
