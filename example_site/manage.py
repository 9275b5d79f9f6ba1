#!/usr/bin/env python
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # Run from anywhere: the project root holds both example_site and wagtail_awards.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
