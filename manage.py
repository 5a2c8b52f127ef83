#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadsite.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A missing or malformed environment variable: one sentence, not a traceback.
        sys.stderr.write(f"Configuration error: {error}\n")
        if "SECRET_KEY" in str(error):
            sys.stderr.write("Set SECRET_KEY (see .env.example), or DEBUG=true for local development.\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
