"""The rule engine's write side: running rules (engine), their actions, schedules and the log's retention."""
