"""The rule form: the condition is a lead filter spec, chosen with the lead list's sidebar controls."""

from django import forms

from leads.admin.spec_widget import LeadSpecField
from leads.filter_summary import lead_filters_summary
from leads.filters import filter_label, filters_from_query
from leads.selectors import LeadFilterError, lead_filters_normalize
from rules.models import Rule, RuleTrigger


class RuleForm(forms.ModelForm):
    condition = LeadSpecField(
        label="Leads it acts on",
        help_text=(
            "The same choices as the lead list's sidebar (or filter the lead list and use “Create rule "
            "from this view”); nothing ticked or typed: every lead."
        ),
    )

    class Meta:
        model = Rule
        fields = ["name", "is_active", "condition", "trigger", "run_time"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.owner = self.instance.owner if self.instance.pk and self.instance.owner_id else user
        if self.owner is not None:
            self.fields["condition"].widget.me = self.owner.pk  # "Me" in "By assigned to" is the rule's owner
        if self.instance.pk and "condition" not in self.initial:
            self.initial["condition"] = self.instance.filters or {}

    def clean_condition(self) -> dict:
        try:
            # "Assigned to me" in a rule means its owner, whoever edits it.
            spec = filters_from_query(self.cleaned_data.get("condition") or {}, user=self.owner)
            return lead_filters_normalize(filters=spec, user=self.user)
        except LeadFilterError as error:
            raise forms.ValidationError(
                [
                    f"{filter_label(field)}: {message}"
                    for field, messages in error.message_dict.items()
                    for message in messages
                ]
            ) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("trigger") == RuleTrigger.DAILY and cleaned.get("run_time") is None:
            self.add_error("run_time", "A daily rule needs the time of day it runs.")
        return cleaned

    def save(self, commit=True):
        self.instance.filters = self.cleaned_data["condition"]
        return super().save(commit)


def condition_summary(rule: Rule) -> str:
    return lead_filters_summary(filters=rule.filters) if rule.filters else "Every lead"
