from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from . import admin

admin.register()


@hooks.register("insert_global_admin_css")
def awards_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("wagtail_awards/css/admin.css"))
