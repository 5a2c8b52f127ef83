import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from exports.datasets.leads import LeadsDataset
from exports.datasets.registry import dataset_choices, dataset_keys, get_dataset


def test_the_default_data_types_are_the_setting():
    assert dataset_keys() == ["leads", "analytics", "comprehensive", "rule_executions"]
    assert dataset_choices()[0] == ("leads", "Leads")
    assert get_dataset("analytics").row_limited is False
    assert get_dataset("comprehensive").needs_tables is True


def test_unknown_keys_are_refused():
    with pytest.raises(LookupError, match="Unknown data type 'everything'"):
        get_dataset("everything")


class NewLeads(LeadsDataset):
    key = "new_leads"
    label = "New leads"


def test_the_registry_follows_the_setting_and_resets_after_it():
    with override_settings(EXPORT_DATASETS=[f"{__name__}.NewLeads"]):
        assert dataset_keys() == ["new_leads"]
        assert get_dataset("new_leads").rows_key == "leads"  # inherited class attributes
    assert dataset_keys() == ["leads", "analytics", "comprehensive", "rule_executions"]


class TooLong(LeadsDataset):
    key = "a_key_longer_than_the_field"


@pytest.mark.parametrize(
    ("paths", "message"),
    [
        (["exports.datasets.nothing.Here"], "cannot import"),
        (["exports.datasets.leads.summary_table"], "is not an exports Dataset class"),
        (["exports.datasets.leads.LeadsDataset"] * 2, "two data types use the key"),
        ([f"{__name__}.TooLong"], "longer than 15 characters"),
    ],
)
def test_a_bad_setting_is_a_configuration_error_naming_the_path(paths, message):
    with override_settings(EXPORT_DATASETS=paths), pytest.raises(ImproperlyConfigured, match=message):
        dataset_keys()
