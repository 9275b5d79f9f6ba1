"""System checks of a site that uses the app (``manage.py check``): what the README's set-up steps ask for.

Each check is a plain function returning Django ``CheckMessage`` objects; ``register_checks`` registers them
from ``AppConfig.ready``. Ids: ``wagtail_awards.E…`` for what breaks the app, ``wagtail_awards.W…`` for what
works but is very likely wrong.
"""

import os
import sys
from pathlib import Path

from django.apps import apps
from django.conf import ENVIRONMENT_VARIABLE, settings
from django.contrib.auth import get_user_model
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.shortcuts import resolve_url
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, ExtendsNode
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve, reverse
from django.utils.module_loading import import_string

from .conf import awards_settings
from .rules.user_fields import PRIVILEGED_FIELDS, fillable, has_field
from .rules.voters import modes as voter_modes
from .uploads import UploadPolicyHandler

#: Blocks every base template must have (see README, "Using the app in a site").
BASE_TEMPLATE_BLOCKS = ("title", "extra_css", "content", "extra_js")
#: The view Wagtail serves every page path with; a URL that only reaches it reaches no login view.
WAGTAIL_SERVE = "wagtail.views.serve"


def _error(msg, hint, id_number):
    return checks.Error(msg, hint=hint, id=f"wagtail_awards.E{id_number:03d}")


def _warning(msg, hint, id_number):
    return checks.Warning(msg, hint=hint, id=f"wagtail_awards.W{id_number:03d}")


# URLs -------------------------------------------------------------------------------------------------------------


def _view_path(match):
    func = match.func
    func = getattr(func, "view_class", func)
    return f"{func.__module__}.{func.__qualname__}"


def check_app_urls(**kwargs):
    """E001: the app's URLs are included; W001: not at the site's root, where they would hide pages."""
    try:
        path = reverse("wagtail_awards:my_applications")
    except NoReverseMatch:
        return [
            _error(
                "The app's URLs are not included in the site's URLconf.",
                'Add path("awards/", include("wagtail_awards.urls")) before Wagtail\'s own URLs.',
                1,
            )
        ]
    if path == get_script_prefix() + "applications/":
        return [
            _warning(
                "The app's URLs are included at the site's root: pages with the slugs of its URLs "
                "(applications, accounts, now, …) could not be reached.",
                'Include them under a prefix of their own that no page uses, e.g. path("awards/", …).',
                1,
            )
        ]
    return []


def check_login_url(**kwargs):
    """E002: ``LOGIN_URL`` reaches a view that is not Wagtail's page serving (a login view)."""
    login_url = str(settings.LOGIN_URL)
    try:
        path = resolve_url(login_url)
    except NoReverseMatch:
        path = None
    if path is not None and ("://" in path or path.startswith("//")):
        return []  # an external identity provider
    message = None
    if path is None:
        message = f"LOGIN_URL = {login_url!r} is neither a URL nor the name of one."
    else:
        try:
            match = resolve(path.split("?")[0])
        except Resolver404:
            message = f"LOGIN_URL = {login_url!r} ({path}) reaches no view."
        else:
            if _view_path(match) == WAGTAIL_SERVE:
                message = f"LOGIN_URL = {login_url!r} ({path}) reaches no login view, only Wagtail's pages."
    if message is None:
        return []
    return [
        _error(
            message + " Visitors sent to log in before they apply would get a 404.",
            'Set LOGIN_URL = "wagtail_awards:login" (or the URL of your own login view).',
            2,
        )
    ]


def check_captcha_urls(**kwargs):
    """E003: django-simple-captcha's URLs are included (the vote and the objection form ask a question)."""
    try:
        reverse("captcha-refresh")
    except NoReverseMatch:
        return [
            _error(
                "django-simple-captcha's URLs are not included in the site's URLconf.",
                'Add path("captcha/", include("captcha.urls")).',
                3,
            )
        ]
    return []


# Time zone --------------------------------------------------------------------------------------------------------


def check_time_zone(**kwargs):
    """W002: the app's time zone is the site's, so dates are entered, shown and reckoned alike."""
    if awards_settings.TIME_ZONE == settings.TIME_ZONE:
        return []
    return [
        _warning(
            f"WAGTAIL_AWARDS_TIME_ZONE ({awards_settings.TIME_ZONE}) differs from TIME_ZONE ({settings.TIME_ZONE}): "
            "deadlines would be entered and shown in one time zone and working days and vote days counted in "
            "the other.",
            f'Set TIME_ZONE = "{awards_settings.TIME_ZONE}", or WAGTAIL_AWARDS_TIME_ZONE to the site\'s.',
            2,
        )
    ]


# Directories ------------------------------------------------------------------------------------------------------


def _resolved(path):
    return Path(path).expanduser().resolve()


def _inside(path, parent):
    return path == parent or parent in path.parents


def _writable(path):
    """The directory exists and is writable, or could be created by the process."""
    while not path.exists():
        if path.parent == path:
            return False
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def project_directories():
    """Where the site's code lives: the folder of ``manage.py`` (the settings' top package or the folder above it)
    or else the settings' top package, and the folder of every installed app."""
    found = []
    # Overridden settings (tests) do not know their module; the environment still names it.
    name = settings.SETTINGS_MODULE or os.environ.get(ENVIRONMENT_VARIABLE) or ""
    module = sys.modules.get(name)
    if module is not None and getattr(module, "__file__", None):
        path = _resolved(module.__file__)
        if path.name == "__init__.py":
            path = path.parent
        depth = name.count(".")
        top = path.parents[depth - 1] if depth else (path if path.is_dir() else path.parent)
        found.append(next((d for d in (top, top.parent) if (d / "manage.py").is_file()), top))
    found += [_resolved(config.path) for config in apps.get_app_configs()]
    return found


def _storage_root(alias, setting):
    """``STATIC_ROOT``/``MEDIA_ROOT`` when the storage that writes there is a file system storage, else None."""
    backend = settings.STORAGES.get(alias, {}).get("BACKEND")
    root = getattr(settings, setting, None)
    if not backend or not root:
        return None
    try:
        storage_class = import_string(backend)
    except ImportError:
        return None
    return _resolved(root) if issubclass(storage_class, FileSystemStorage) else None


def check_private_root(**kwargs):
    """E004: ``WAGTAIL_AWARDS_PRIVATE_ROOT`` is set; E005: outside the code and every public directory;
    E006: writable."""
    hint = (
        "Set WAGTAIL_AWARDS_PRIVATE_ROOT to a directory outside the project's code and outside MEDIA_ROOT and "
        'STATIC_ROOT, e.g. "/var/lib/<site>/awards-private", and back it up with the database.'
    )
    if awards_settings.PRIVATE_STORAGE and not awards_settings.PRIVATE_ROOT:
        return []  # a STORAGES entry (e.g. a private bucket) holds the files
    if not awards_settings.PRIVATE_ROOT:
        return [_error("WAGTAIL_AWARDS_PRIVATE_ROOT is not set: applicants' files have nowhere to go.", hint, 4)]
    root = _resolved(awards_settings.PRIVATE_ROOT)
    public = {
        "STATIC_ROOT": _storage_root("staticfiles", "STATIC_ROOT"),
        "MEDIA_ROOT": _storage_root("default", "MEDIA_ROOT"),
    }
    for setting, directory in public.items():
        if directory is not None and _inside(root, directory):
            return [
                _error(f"WAGTAIL_AWARDS_PRIVATE_ROOT ({root}) is inside {setting}, which is served publicly.", hint, 5)
            ]
    for directory in project_directories():
        if _inside(root, directory):
            return [
                _error(
                    f"WAGTAIL_AWARDS_PRIVATE_ROOT ({root}) is inside the project's code ({directory}): applicants' "
                    "files would end up in version control and in images built from the code.",
                    hint,
                    5,
                )
            ]
    if not _writable(root):
        return [
            _error(
                f"WAGTAIL_AWARDS_PRIVATE_ROOT ({root}) cannot be written or created by this process.",
                "Create it and give the user the site runs as the right to write there.",
                6,
            )
        ]
    return []


def check_public_roots_writable(**kwargs):
    """W003: ``STATIC_ROOT`` and ``MEDIA_ROOT`` (of file system storages) can be written or created."""
    messages = []
    for alias, setting in (("staticfiles", "STATIC_ROOT"), ("default", "MEDIA_ROOT")):
        root = _storage_root(alias, setting)
        if root is not None and not _writable(root):
            messages.append(
                _warning(
                    f"{setting} ({root}) cannot be written or created by this process.",
                    "Create it and give the user that runs collectstatic and the site the right to write there.",
                    3,
                )
            )
    return messages


# Uploads ----------------------------------------------------------------------------------------------------------


def check_upload_handlers(**kwargs):
    """W005: the app's request-size policy is the first upload handler, so it applies to every request."""
    handlers = list(settings.FILE_UPLOAD_HANDLERS)
    try:
        first = import_string(handlers[0]) if handlers else None
    except ImportError:
        first = None
    if isinstance(first, type) and issubclass(first, UploadPolicyHandler):
        return []
    return [
        _warning(
            "wagtail_awards.uploads.UploadPolicyHandler is not the first of FILE_UPLOAD_HANDLERS: file bytes from "
            "anonymous visitors and past the request-size limit reach the other handlers on the site's own forms.",
            'Put "wagtail_awards.uploads.UploadPolicyHandler" first in FILE_UPLOAD_HANDLERS.',
            5,
        )
    ]


# User model -------------------------------------------------------------------------------------------------------


#: The longest e-mail address registration accepts; the login name (USERNAME_FIELD) must hold it.
EMAIL_LENGTH = 150


def _holds_text(field, length=None):
    if not isinstance(field, models.CharField):
        return False
    return length is None or field.max_length is None or field.max_length >= length


def user_model_errors(user_model):
    """What registration needs of a user model (E007): a password; an ``is_active`` field (an account waits
    inactive until its address is confirmed); the e-mail address as login name (``USERNAME_FIELD``) and as
    ``EMAIL_FIELD``; ``REQUIRED_FIELDS`` that a form can fill and that grant no rights."""
    problems = []
    if not callable(getattr(user_model, "set_password", None)):
        problems.append("it has no set_password() (subclass AbstractBaseUser)")
    if not fillable(user_model, "is_active"):
        problems.append("it has no is_active field (an account stays inactive until its address is confirmed)")
    email = user_model.get_email_field_name() if hasattr(user_model, "get_email_field_name") else None
    names = {
        "USERNAME_FIELD": [getattr(user_model, "USERNAME_FIELD", None)],
        "EMAIL_FIELD": [email],
        "REQUIRED_FIELDS": list(getattr(user_model, "REQUIRED_FIELDS", [])),
    }
    for attribute, fields in names.items():
        for name in fields:
            field = user_model._meta.get_field(name) if name and has_field(user_model, name) else None
            if name in PRIVILEGED_FIELDS:
                problems.append(f"{attribute} names {name!r}, which a visitor registering must not set")
            elif field is None:
                problems.append(f"{attribute} names {name!r}, which is not a field of the model")
            elif not fillable(user_model, name):
                problems.append(f"{attribute} names {name!r}, which a registration form cannot fill")
            elif attribute != "REQUIRED_FIELDS" and not _holds_text(field, EMAIL_LENGTH):
                problems.append(
                    f"{attribute} names {name!r}, which cannot hold an e-mail address of {EMAIL_LENGTH} characters"
                )
    if not problems:
        return []
    label = user_model._meta.label
    return [
        _error(
            f"The user model {label} cannot be used to register accounts: " + "; ".join(problems) + ".",
            "Registration uses the e-mail address as USERNAME_FIELD and EMAIL_FIELD (receipts and password resets "
            "go there), asks for the other REQUIRED_FIELDS and keeps the account inactive until it is confirmed.",
            7,
        )
    ]


def check_user_model(**kwargs):
    return user_model_errors(get_user_model())


# Base template ----------------------------------------------------------------------------------------------------


def template_blocks(template):
    """The names of the blocks of a Django template and of the templates it extends by a constant name."""
    names = set()
    nodelist = template.nodelist
    while nodelist is not None:
        names |= {node.name for node in nodelist.get_nodes_by_type(BlockNode)}
        parents = nodelist.get_nodes_by_type(ExtendsNode)
        nodelist = None
        parent_name = parents[0].parent_name.var if parents else None
        if isinstance(parent_name, str):
            try:
                nodelist = get_template(parent_name).template.nodelist
            except (TemplateDoesNotExist, TemplateSyntaxError, AttributeError):
                nodelist = None
    return names


def check_base_template(**kwargs):
    """E008: ``WAGTAIL_AWARDS_BASE_TEMPLATE`` can be loaded; W004: it has the blocks the app's pages fill."""
    name = awards_settings.BASE_TEMPLATE
    try:
        template = get_template(name)
    except (TemplateDoesNotExist, TemplateSyntaxError) as exc:
        return [
            _error(
                f"WAGTAIL_AWARDS_BASE_TEMPLATE = {name!r} cannot be loaded ({exc.__class__.__name__}).",
                'Name a template of the site (e.g. "base.html") or leave the setting out.',
                8,
            )
        ]
    inner = getattr(template, "template", None)
    if inner is None:  # another template engine: its blocks cannot be read
        return []
    missing = [block for block in BASE_TEMPLATE_BLOCKS if block not in template_blocks(inner)]
    if not missing:
        return []
    return [
        _warning(
            f"WAGTAIL_AWARDS_BASE_TEMPLATE = {name!r} has no block {', '.join(missing)}: the app's pages put "
            "their title, style sheets, content and scripts in these blocks.",
            "Add the missing blocks to the base template.",
            4,
        )
    ]


def check_voters(**kwargs):
    """E009: ``WAGTAIL_AWARDS_VOTERS`` names known voter identities."""
    try:
        voter_modes()
    except ImproperlyConfigured as exc:
        return [_error(str(exc), 'e.g. WAGTAIL_AWARDS_VOTERS = ["verified_account", "voting_code"]', 9)]
    return []


def register_checks():
    for check in (check_app_urls, check_login_url, check_captcha_urls):
        checks.register(check, checks.Tags.urls)
    for check in (
        check_time_zone,
        check_private_root,
        check_public_roots_writable,
        check_upload_handlers,
        check_base_template,
        check_voters,
    ):
        checks.register(check)
    checks.register(check_user_model, checks.Tags.models)
