"""Settings shared by every environment of the example site.

The app itself reads its own options through ``wagtail_awards.conf``; this module only wires a Wagtail site.
"""

import os
import shutil
from pathlib import Path

import dj_database_url

import wagtail_awards

SITE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SITE_DIR.parent
# Everything the site writes at run time (database, uploads) stays under var/, outside the source tree.
VAR_DIR = Path(os.environ.get("WAGTAIL_AWARDS_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "wagtail_awards",
    "example_site.demo",
    "wagtail_modeladmin",
    "captcha",
    "csp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "wagtail_awards.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: it answers a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

# Logins (the site's and the admin's) are throttled per account and per address by django-axes: after
# AXES_FAILURE_LIMIT failures either is locked for AXES_COOLOFF_TIME hours; a success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The address as the rest of the app reads it: the client's, through the trusted proxies only.
AXES_CLIENT_IP_CALLABLE = "wagtail_awards.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "wagtail_awards.views.accounts.locked_out"
AXES_USERNAME_FORM_FIELD = "username"

ROOT_URLCONF = "example_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "example_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# Chinese for the strings of Wagtail and wagtail-modeladmin that the app's screens show and their own catalogues
# lack (or word otherwise than the app's glossary); a site using the app adds this directory the same way.
LOCALE_PATHS = [wagtail_awards.LIBRARY_LOCALE_PATH]
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Applicants' files: outside the code (example_site/) and outside MEDIA_ROOT and STATIC_ROOT, which are public.
WAGTAIL_AWARDS_PRIVATE_ROOT = VAR_DIR / "awards-private"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The app's request-size policy in front of Django's handlers: no file bytes from anonymous visitors, at most
# WAGTAIL_AWARDS_MAX_REQUEST_SIZE per request; upload views narrow it to their own fields and limits.
FILE_UPLOAD_HANDLERS = [
    "wagtail_awards.uploads.UploadPolicyHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGIN_URL = "wagtail_awards:login"  # site users log in on the site; the Wagtail admin has its own login

WAGTAIL_SITE_NAME = "江苏省教育科技工会 · 评优"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatars fetched from outside (and no broken images without a network)
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "doc", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_I18N_ENABLED = False
# The admin's new-version notice fetches from Wagtail's site, which the admin policy (connect-src 'self') refuses.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars from Gravatar would be images from another site too (and tell it who uses the admin): Wagtail's default.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Content-Security-Policy (django-csp): the site's pages load scripts, styles, images and sounds from the site only;
# nothing inline runs. Wagtail's admin gets the app's admin policy (see wagtail_awards.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# django-simple-captcha: arithmetic with two-digit numbers (47 + 36, 13 × 7) is easier to read on a phone than
# distorted letters; the question is spoken (in English) when Debian's flite is installed.
CAPTCHA_CHALLENGE_FUNCT = "wagtail_awards.captcha.arithmetic_challenge"
CAPTCHA_FONT_SIZE = 26
CAPTCHA_LETTER_ROTATION = (-20, 20)
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_FLITE_PATH = shutil.which("flite")

WAGTAIL_AWARDS_TIME_ZONE = "Asia/Shanghai"
# The app's pages inside the app's own layout (default) or inside this site's templates/base.html:
# WAGTAIL_AWARDS_BASE_TEMPLATE=base.html make demo
WAGTAIL_AWARDS_BASE_TEMPLATE = os.environ.get("WAGTAIL_AWARDS_BASE_TEMPLATE", "wagtail_awards/base.html")
