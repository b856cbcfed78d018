"""Brands: sender, Zoho credentials (write-only), AI context, sending window and caps, and the
website's lead capture (its origins, publishable key and a contact form to paste)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display
from unfold.widgets import (
    UnfoldAdminCheckboxSelectMultipleWidget,
    UnfoldAdminEmailInputWidget,
    UnfoldAdminPasswordWidget,
    UnfoldAdminTextareaWidget,
)

from crm.admin.base import BrandScopedAdmin
from crm.models import Brand
from crm.models.brands import WEEKDAYS, site_origins_problem
from crm.services.brands import brand_email_check

SECRET_FIELDS = ("zoho_client_secret", "zoho_refresh_token")
# A contact form for the brand's site: the hidden website_url catches bots; the key only posts leads.
FORM_SNIPPET = """<form id="inquiry-form">
  <input name="name" placeholder="Your name" required>
  <input name="email" type="email" placeholder="Email" required>
  <input name="phone" placeholder="Phone">
  <input name="company" placeholder="Company">
  <input name="service" placeholder="Service you are interested in">
  <textarea name="message" placeholder="How can we help?"></textarea>
  <input name="website_url" tabindex="-1" autocomplete="off" aria-hidden="true" style="position:absolute;left:-9999px">
  <button type="submit">Send</button>
</form>
<script>
document.getElementById("inquiry-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answer = await fetch("{endpoint}", {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-Publishable-Key": "{key}"},
    body: JSON.stringify(Object.fromEntries(new FormData(event.target))),
  });
  event.target.replaceWith(answer.ok ? "Thank you, we will be in touch." : "Sorry, that did not go through.");
});
</script>"""
KEEP_HELP = _("Stored encrypted and never shown again. Leave empty to keep the current value.")


class TestEmailForm(forms.Form):
    to = forms.EmailField(label=_("Send to"), widget=UnfoldAdminEmailInputWidget)


class BrandForm(forms.ModelForm):
    """Secrets are write-only: the form never renders them, and an empty field keeps what is stored."""

    zoho_client_secret = forms.CharField(required=False, widget=UnfoldAdminPasswordWidget(), help_text=KEEP_HELP)
    zoho_refresh_token = forms.CharField(required=False, widget=UnfoldAdminPasswordWidget(), help_text=KEEP_HELP)
    send_weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, required=False, widget=UnfoldAdminCheckboxSelectMultipleWidget
    )
    site_origins = forms.CharField(
        required=False, widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
        help_text=_("One per line, such as https://www.codeteki.au: the sites whose forms may post leads."),
    )  # fmt: skip

    class Meta:
        model = Brand
        fields = [
            "name", "slug", "is_active", "members", "from_email", "from_name", "reply_to_email", "zoho_api_domain",
            "zoho_account_id", "zoho_client_id", "zoho_client_secret", "zoho_refresh_token", "ai_company_description",
            "ai_value_proposition", "currency", "timezone", "send_window_start", "send_window_end", "send_weekdays",
            "hourly_send_cap", "daily_send_cap", "site_origins",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            self.initial[name] = ""
        self.initial["site_origins"] = "\n".join(self.instance.site_origins or []) if self.instance.pk else ""

    def clean_site_origins(self) -> list[str]:
        origins = [line.strip().rstrip("/") for line in (self.cleaned_data["site_origins"] or "").splitlines()]
        origins = [origin for origin in origins if origin]
        problem = site_origins_problem(origins)
        if problem:
            raise forms.ValidationError(problem)
        return origins

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in SECRET_FIELDS:
            if not cleaned.get(name) and self.instance.pk:
                cleaned[name] = getattr(self.instance, name)
        return cleaned


@admin.register(Brand)
class BrandAdmin(BrandScopedAdmin):
    form = BrandForm
    brand_path = "pk"
    list_display = [
        "name",
        "slug",
        "from_email",
        "zoho_api_domain",
        "zoho_status",
        "timezone",
        "caps",
        "is_active",
    ]
    search_fields = ["name", "slug", "from_email"]
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ["members"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "is_active", "members", "currency"]}),
        (_("Sender"), {"fields": ["from_email", "from_name", "reply_to_email"]}),
        (
            _("Zoho Mail"),
            {
                "fields": [
                    "zoho_api_domain",
                    "zoho_account_id",
                    "zoho_client_id",
                    "zoho_client_secret",
                    "zoho_refresh_token",
                    "zoho_status",
                ],
                "description": _("Leave blank to use the ZOHO_* environment values, or the local outbox."),
            },
        ),  # fmt: skip
        (_("AI context"), {"fields": ["ai_company_description", "ai_value_proposition"]}),
        (
            _("Website lead capture"),
            {
                "fields": ["site_origins", "publishable_key", "form_snippet"],
                "description": _(
                    "The website posts chat leads and contact forms with the publishable key; each becomes a contact, "
                    "and a contact form a deal in the sales pipeline."
                ),
            },
        ),
        (
            _("Sending window and caps"),
            {
                "fields": [
                    "timezone",
                    "send_window_start",
                    "send_window_end",
                    "send_weekdays",
                    "hourly_send_cap",
                    "daily_send_cap",
                ]
            },
        ),
    ]
    readonly_fields = ["zoho_status", "publishable_key", "form_snippet"]
    actions = ["send_test_email"]

    @display(description=_("Contact form to paste into the website"))
    def form_snippet(self, brand: Brand) -> str:
        if not brand.pk:
            return "-"
        code = FORM_SNIPPET.replace("{endpoint}", f"{settings.SITE_URL}/api/public/inquiries/").replace(
            "{key}", brand.publishable_key
        )
        return format_html(
            "<textarea readonly rows='14' style='width:100%;font-family:monospace;font-size:12px' "
            "onclick='this.select()' data-form-snippet>{}</textarea>",
            code,
        )

    @action(description=_("Send a test email…"), permissions=["change"])
    def send_test_email(self, request: HttpRequest, queryset: QuerySet[Brand]) -> HttpResponse | None:
        form = TestEmailForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for brand in queryset:
                check = brand_email_check(brand=brand, send_to=form.cleaned_data["to"])
                level = messages.SUCCESS if check.ok else messages.ERROR
                self.message_user(request, f"{brand.name} ({check.provider}): {check.detail}", level)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send a test email"),
            "intro": _("Checks the brand's Zoho token (if it has credentials) and sends one message."),
            "opts": self.model._meta,
            "form": form,
            "items": queryset,
            "action_name": "send_test_email",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "submit_label": _("Send"),
        }
        return TemplateResponse(request, "admin/crm/action_form.html", context)

    @display(description=_("Zoho credentials"), label={"stored": "success", "not set": "warning"})
    def zoho_status(self, brand: Brand) -> str:
        return "stored" if brand.has_own_zoho_credentials else "not set"

    @display(description=_("Caps (hour / day)"))
    def caps(self, brand: Brand) -> str:
        return f"{brand.hourly_send_cap} / {brand.daily_send_cap}"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # brands own every contact; deactivate instead
