"""The app's settings, read lazily from Django settings with the prefix ``WAGTAIL_AWARDS_``.

Use ``from wagtail_awards.conf import awards_settings`` and read ``awards_settings.TIME_ZONE``; each read
consults ``django.conf.settings`` so ``override_settings`` in tests works.

=========================================  ==================  ==================================================
Setting                                    Default             Meaning
=========================================  ==================  ==================================================
``WAGTAIL_AWARDS_BASE_TEMPLATE``           ``"wagtail_awards/  The template every page of the app extends (blocks
                                           base.html"``        ``title``, ``extra_css``, ``content``, ``extra_js``).
``WAGTAIL_AWARDS_TIME_ZONE``               ``"Asia/Shanghai"`` Local time of deadlines and working days.
``WAGTAIL_AWARDS_HOLIDAY_COUNTRY``         ``"CN"``            Country code for the ``holidays`` calendar.
``WAGTAIL_AWARDS_HOLIDAY_SUBDIVISION``     ``None``            Subdivision for the ``holidays`` calendar.
``WAGTAIL_AWARDS_CLOSING_SOON_DAYS``       ``3``               Days before a deadline shown as "closing soon".
``WAGTAIL_AWARDS_PUBLICITY_WORKING_DAYS``  ``5``               Default length of a publicity period.
``WAGTAIL_AWARDS_PRIVATE_ROOT``            required            Directory of applicants' and objectors' files,
                                                               outside the code, ``MEDIA_ROOT`` and ``STATIC_ROOT``
                                                               (checked: ``wagtail_awards.E004``–``E006``).
``WAGTAIL_AWARDS_PRIVATE_STORAGE``         ``None``            A ``STORAGES`` entry for those files instead (e.g. a
                                                               private S3 bucket for several machines).
``WAGTAIL_AWARDS_MAX_REQUEST_SIZE``        ``134217728``       Bytes of one request's body (128 MB): a larger one
                                                               is refused before it is read; files of one request
                                                               never add up to more. Keep the proxy's body limit
                                                               (nginx ``client_max_body_size``) the same.
``WAGTAIL_AWARDS_UNIT_STORAGE_QUOTA``      ``536870912``       Bytes of files one unit may keep across all its
                                                               applications (512 MB); ``0``: no quota.
``WAGTAIL_AWARDS_MAX_OPEN_DRAFTS``         ``5``               Drafts one unit may have open in one call at once;
                                                               ``0``: no limit.
``WAGTAIL_AWARDS_ZIP_MAX_SIZE``            ``209715200``       Bytes an uploaded ZIP-based file (DOCX, XLSX, PPTX,
                                                               ZIP) may expand to (200 MB).
``WAGTAIL_AWARDS_ZIP_MAX_RATIO``           ``100``             How many times its own size such a file may expand
                                                               to (checked when it expands past 10 MB).
``WAGTAIL_AWARDS_RECEIPT_FROM``            ``None``            Sender of application receipts; default
                                                               ``DEFAULT_FROM_EMAIL``.
``WAGTAIL_AWARDS_VOTERS``                  ``("verified_      Who may vote (``wagtail_awards.voters``): any of
                                           account",)``        ``"verified_account"``, ``"voting_code"`` and the
                                                               insecure ``"insecure_device"``.
``WAGTAIL_AWARDS_VOTER_ROLL``              ``False``           Verified accounts vote only when their address is
                                                               on the voter roll (marked by a province admin).
``WAGTAIL_AWARDS_VOTES_PER_DAY``           ``3``               Votes one voter may cast in one call per local day
                                                               (at most one per candidate).
``WAGTAIL_AWARDS_VOTE_IP_LIMIT``           ``60``              Vote attempts per IP address per window (shared
                                                               cache), new questions twice that; ``0``: no limit.
``WAGTAIL_AWARDS_VOTE_IP_WINDOW``          ``3600``            Length of that window in seconds.
``WAGTAIL_AWARDS_VOTE_BURST``              ``10``              Votes from one IP hash or device in one hour that
                                                               the vote audit flags as a burst.
``WAGTAIL_AWARDS_PREPARED_VOTE``           ``True``            Send the vote's statement prepared (PostgreSQL):
                                                               planned once per database connection. Behind a
                                                               pooler in transaction mode, PgBouncer 1.21+ with
                                                               ``max_prepared_statements``, or ``False``.
``WAGTAIL_AWARDS_PAGE_CACHE_SECONDS``      ``30``              How long the public pages are cached at most (with
                                                               ``PublicPageCacheMiddleware``); ``0``: not cached.
``WAGTAIL_AWARDS_PAGE_CACHE``              ``"default"``       The cache (``CACHES`` alias) that keeps them.
``WAGTAIL_AWARDS_REGISTRATION_LIMIT``      ``5``               Accounts one IP address may register per window
                                                               (shared cache); ``0``: no limit.
``WAGTAIL_AWARDS_REGISTRATION_WINDOW``     ``3600``            Length of that window in seconds.
``WAGTAIL_AWARDS_INVITATION_DAYS``         ``30``              Days a unit invitation stays valid by default.
=========================================  ==================  ==================================================

Abuse limits and the client address:

==========================================  ==========================  ==============================================
Setting                                     Default                     Meaning
==========================================  ==========================  ==============================================
``WAGTAIL_AWARDS_OBJECTION_IP_LIMIT``       ``10``                      Objections from one address per window
                                                                        (shared cache); ``0``: no limit.
``WAGTAIL_AWARDS_OBJECTION_PROJECT_LIMIT``  ``3``                       Objections from one address against one
                                                                        project per window; ``0``: no limit.
``WAGTAIL_AWARDS_OBJECTION_WINDOW``         ``86400``                   Length of the objection window in seconds.
``WAGTAIL_AWARDS_TRUSTED_PROXY_COUNT``      ``0``                       Proxies in front of the app servers; the
                                                                        client address is read from the forwarded
                                                                        header only when this or the list is set.
``WAGTAIL_AWARDS_TRUSTED_PROXIES``          ``()``                      The proxies' addresses or networks, one per
                                                                        hop, outermost first (instead of a count).
``WAGTAIL_AWARDS_FORWARDED_FOR_HEADER``     ``"HTTP_X_FORWARDED_FOR"``  The header (``request.META`` key) the
                                                                        proxies append the client address to.
==========================================  ==========================  ==============================================
"""

from django.conf import settings

DEFAULTS = {
    "BASE_TEMPLATE": "wagtail_awards/base.html",
    "TIME_ZONE": "Asia/Shanghai",
    "HOLIDAY_COUNTRY": "CN",
    "HOLIDAY_SUBDIVISION": None,
    "CLOSING_SOON_DAYS": 3,
    "PUBLICITY_WORKING_DAYS": 5,
    "PRIVATE_ROOT": None,
    "PRIVATE_STORAGE": None,
    "MAX_REQUEST_SIZE": 128 * 1024 * 1024,
    "UNIT_STORAGE_QUOTA": 512 * 1024 * 1024,
    "MAX_OPEN_DRAFTS": 5,
    "ZIP_MAX_SIZE": 200 * 1024 * 1024,
    "ZIP_MAX_RATIO": 100,
    "RECEIPT_FROM": None,
    "VOTERS": ("verified_account",),
    "VOTER_ROLL": False,
    "VOTES_PER_DAY": 3,
    "VOTE_IP_LIMIT": 60,
    "VOTE_IP_WINDOW": 3600,
    "VOTE_BURST": 10,
    "PREPARED_VOTE": True,
    "PAGE_CACHE_SECONDS": 30,
    "PAGE_CACHE": "default",
    "OBJECTION_IP_LIMIT": 10,
    "OBJECTION_PROJECT_LIMIT": 3,
    "OBJECTION_WINDOW": 24 * 3600,
    "TRUSTED_PROXY_COUNT": 0,
    "TRUSTED_PROXIES": (),
    "FORWARDED_FOR_HEADER": "HTTP_X_FORWARDED_FOR",
    "REGISTRATION_LIMIT": 5,
    "REGISTRATION_WINDOW": 3600,
    "INVITATION_DAYS": 30,
}

PREFIX = "WAGTAIL_AWARDS_"


class AwardsSettings:
    """Attribute access to ``WAGTAIL_AWARDS_*`` settings, falling back to :data:`DEFAULTS`."""

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown wagtail-awards setting: {name}")
        return getattr(settings, PREFIX + name, DEFAULTS[name])


awards_settings = AwardsSettings()
