"""The app's rules as pure functions and value objects: dates, numbers, names and states in, answers out.

Nothing here touches the database, the cache or a transaction; a module may import the app's ``enums`` and
``conf`` and Django's translation and time utilities, and nothing else of the app. The database side of each
rule is in :mod:`wagtail_awards.services`.
"""
