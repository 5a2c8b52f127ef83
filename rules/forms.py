"""The rule form: the condition is a lead filter spec, written as the lead list's query string."""

from django import forms
from django.http import QueryDict

from leads.filter_summary import lead_filters_summary
from leads.filters import filters_from_query, spec_to_query_string
from leads.selectors import LeadFilterError, lead_filters_normalize
from rules.models import Rule, RuleTrigger


class RuleForm(forms.ModelForm):
    condition = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text=(
            "The lead list's filters as its query string (e.g. status=new&has_email=true). Filter the lead "
            "list and use “Create rule from this view”, or open the condition there to change it. "
            "Empty: every lead."
        ),
    )

    class Meta:
        model = Rule
        fields = ["name", "is_active", "condition", "trigger", "run_time"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk and "condition" not in self.initial:
            self.initial["condition"] = spec_to_query_string(self.instance.filters or {})

    def clean_condition(self) -> dict:
        text = (self.cleaned_data.get("condition") or "").strip().lstrip("?")
        try:
            return lead_filters_normalize(filters=filters_from_query(QueryDict(text), user=self.user), user=self.user)
        except LeadFilterError as error:
            raise forms.ValidationError(
                [f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages]
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
