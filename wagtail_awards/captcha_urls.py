"""The captcha's URLs, to include instead of ``captcha.urls``.

In the site's URLs: ``path("captcha/", include("wagtail_awards.captcha_urls"))``.

The images are django-simple-captcha's own; ``refresh/`` and ``audio/`` are replaced, because the library's versions
create or synthesise a question for anyone without limit: here each counts as a new question against the client's
address (:func:`wagtail_awards.services.captcha.challenge_allowed`), and a refreshed question is bound to its
purpose and the visitor like every other. The URL names are the library's, so its widgets keep working.
"""

from captcha import views as captcha_views
from django.urls import re_path

from .views import captcha as views

urlpatterns = [
    re_path(r"image/(?P<key>\w+)/$", captcha_views.captcha_image, name="captcha-image", kwargs={"scale": 1}),
    re_path(r"image/(?P<key>\w+)@2/$", captcha_views.captcha_image, name="captcha-image-2x", kwargs={"scale": 2}),
    re_path(r"audio/(?P<key>\w+)\.wav$", views.audio, name="captcha-audio"),
    re_path(r"refresh/$", views.refresh, name="captcha-refresh"),
]
