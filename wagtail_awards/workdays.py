"""The public working-day functions (``is_working_day``, ``nth_working_day``, ``working_days_between`` …).

A re-export, not an implementation: the functions are :mod:`wagtail_awards.services.calendar`'s, which answer on the
site's calendar (the configured holidays with the working-day exceptions entered in the admin); the arithmetic
itself is :mod:`wagtail_awards.rules.workdays`, pure, on a calendar value object.

Day 1 of a period is its start date when that is a working day, else the next working day. Example: a publicity
period of 5 working days starting 2021-09-29 ends at the end of 2021-10-11 (National Day holiday and the 调休
make-up working day 2021-10-09 included).
"""

from .services.calendar import *  # noqa: F403 - the public face: exactly the service's names
from .services.calendar import __all__  # noqa: F401
