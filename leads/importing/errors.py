"""The error an import raises when a file cannot be imported at all."""


class LeadImportFileError(Exception):
    """The file cannot be imported at all; the message is a sentence for the person importing it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def printable(text: str) -> str:
    """`text` safe to show and store: lone surrogates (from a JSON "\\ud800") become escapes."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
