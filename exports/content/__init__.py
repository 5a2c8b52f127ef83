"""What an export file holds: its columns, streamed rows, row plans, summary and file name."""
