"""wagtail-awards: run a yearly award programme in Wagtail.

Call, application, recommendation, expert review, public vote, publicity and results.
"""

__version__ = "0.1.0"
