from exports.errors import ExportError, ExportLimitExceeded, ExportValidationError


def test_limit_message_states_count_and_limit():
    error = ExportLimitExceeded(count=123_456, limit=100_000)

    assert (error.count, error.limit) == (123_456, 100_000)
    assert (
        str(error)
        == "This export would contain 123,456 leads, over the limit of 100,000. Narrow the filters and try again."
    )
    assert isinstance(error, ExportError)


def test_validation_error_keeps_field_messages():
    error = ExportValidationError({"format": ["Unknown format."], "status": ["Bad status."]})

    assert error.message_dict == {"format": ["Unknown format."], "status": ["Bad status."]}
