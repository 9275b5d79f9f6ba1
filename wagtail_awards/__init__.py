"""wagtail-awards: run a yearly award programme in Wagtail.

Call, application, recommendation, expert review, public vote, publicity and results.
"""

from pathlib import Path

__version__ = "0.1.0"

#: Translations of the strings of Wagtail and wagtail-modeladmin shown on the app's screens that those packages do not
#: translate into Chinese (or translate against the app's glossary). Add it to ``LOCALE_PATHS``.
LIBRARY_LOCALE_PATH = Path(__file__).resolve().parent / "library_locale"
