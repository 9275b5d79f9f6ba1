"""Everything that reads or writes the database: the use cases the views, the admin and the commands call.

Each module imports the models it needs at its top and takes its rules from :mod:`wagtail_awards.rules`; none
imports views, forms or the admin. Each function's docstring says what it writes.
"""
