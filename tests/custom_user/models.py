"""A user model unlike Django's: e-mail address as the username, a display name and a staff number required."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models


class MemberManager(BaseUserManager):
    def create_user(self, email_address, password=None, **fields):
        user = self.model(email_address=self.normalize_email(email_address), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email_address, password=None, **fields):
        return self.create_user(email_address, password, is_staff=True, is_superuser=True, **fields)


class Member(AbstractBaseUser, PermissionsMixin):
    email_address = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField("display name", max_length=100)
    staff_number = models.CharField("staff number", max_length=20)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)

    USERNAME_FIELD = "email_address"
    EMAIL_FIELD = "email_address"
    REQUIRED_FIELDS = ["display_name", "staff_number"]

    objects = MemberManager()

    def __str__(self):
        return self.display_name
