"""Signal receivers: provider webhooks (anymail) and lead status changes feed the message outcomes."""
