"""Account URLs: Django's own auth views with the app's templates, registration, confirmation, unit requests."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .forms.accounts import LoginForm
from .layout import layout_context
from .views import accounts

T = "wagtail_awards/accounts/"
# Django's views render the app's templates, which extend WAGTAIL_AWARDS_BASE_TEMPLATE.
LAYOUT = layout_context()

urlpatterns = [
    path("register/", accounts.register, name="register"),
    path("register/sent/", accounts.register_sent, name="register_sent"),
    path("verify/<str:uidb64>/<str:token>/", accounts.verify_email, name="verify_email"),
    path("verify/", accounts.send_verification, name="send_verification"),
    path("me/", accounts.account, name="account"),
    path("unit/", accounts.choose_unit, name="choose_unit"),
    path("join/", accounts.join, name="join"),
    path("join/<str:code>/", accounts.join, name="join_code"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name=T + "login.html",
            authentication_form=LoginForm,
            next_page=reverse_lazy("wagtail_awards:my_applications"),
            extra_context=LAYOUT,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name=T + "password_reset_form.html",
            email_template_name=T + "password_reset_email.txt",
            subject_template_name=T + "password_reset_subject.txt",
            success_url=reverse_lazy("wagtail_awards:password_reset_done"),
            extra_context=LAYOUT,
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name=T + "password_reset_done.html", extra_context=LAYOUT),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name=T + "password_reset_confirm.html",
            success_url=reverse_lazy("wagtail_awards:password_reset_complete"),
            extra_context=LAYOUT,
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name=T + "password_reset_complete.html", extra_context=LAYOUT
        ),
        name="password_reset_complete",
    ),
]
