"""A/B tests: managers create one for a template, start it, and stop it with the winner promoted."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from leads.admin.strict_changelist import SpecOnlyAdminMixin
from outreach.models import ABTest
from outreach.selectors.ab_tests import ab_test_result
from outreach.services.ab_tests import ab_test_start, ab_test_stop

STATE_LABELS = {"running": "running", "not_enough_data": "not enough data yet", "winner": "winner"}


def _percent(value) -> str:
    return "-" if value is None else f"{value:.1%}"


def _interval(values) -> str:
    return "-" if not values else f"{values[0]:.1%} - {values[1]:.1%}"


@admin.register(ABTest)
class ABTestAdmin(SpecOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "template", "status", "state", "winner", "started_at", "ended_at")
    list_filter = ("status", "template")
    readonly_fields = ("status", "started_at", "ended_at", "winner", "results")
    fields = ("name", "template", "status", "started_at", "ended_at", "winner", "results")
    actions = ["start", "stop_and_promote", "stop_without_promoting"]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="State")
    def state(self, obj) -> str:
        result = ab_test_result(obj)
        return STATE_LABELS[result.state] if result.state != "not_enough_data" else result.message

    @admin.display(description="Results per variant")
    def results(self, obj):
        if obj.pk is None:
            return "-"
        result = ab_test_result(obj)
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td><td>{}</td><td>{} ({})</td></tr>",
            (
                (
                    v.variant, v.sent, v.delivered, v.replied, _percent(v.reply_rate), _interval(v.reply_rate_ci),
                    v.converted, _percent(v.conversion_rate), _interval(v.conversion_rate_ci),
                )
                for v in result.variants
            ),
        )  # fmt: skip
        p_value = "-" if result.p_value is None else f"{result.p_value:.4f}"
        return format_html(
            "<p><strong>{}</strong> (p = {}; minimum sample {} per variant)</p><table><thead><tr><th>Variant</th>"
            "<th>Sent</th><th>Delivered</th><th>Replied</th><th>Reply rate (95% CI)</th><th>Converted</th>"
            "<th>Conversion rate (95% CI)</th></tr></thead><tbody>{}</tbody></table>",
            result.message,
            p_value,
            result.min_sample,
            rows,
        )

    def _each(self, request, queryset, action, done: str):
        for test in queryset.select_related("template"):
            try:
                action(test)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, done.format(test=test), messages.SUCCESS)

    @admin.action(description="Start the selected A/B tests", permissions=["change"])
    def start(self, request, queryset):
        self._each(request, queryset, lambda test: ab_test_start(test=test), "“{test}” is running.")

    @admin.action(description="Stop and promote the winner", permissions=["change"])
    def stop_and_promote(self, request, queryset):
        self._each(
            request, queryset, lambda test: ab_test_stop(test=test), "“{test}” stopped; its winner is now the template."
        )

    @admin.action(description="Stop without promoting a variant", permissions=["change"])
    def stop_without_promoting(self, request, queryset):
        self._each(request, queryset, lambda test: ab_test_stop(test=test, promote_winner=False), "“{test}” stopped.")
