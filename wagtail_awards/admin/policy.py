"""wagtail-modeladmin's permission checks, answered by the app's one access policy (:mod:`wagtail_awards.access`).

Each screen names the policy actions it needs; ``None`` means never (rows of the round are made by the site and the
round's own screens, not by a generic create or delete form). Group model permissions only let people into the
Wagtail admin; what they may list and change here is the policy's answer.
"""

from wagtail_modeladmin.helpers import PermissionHelper

from .. import access


class PolicyPermissionHelper(PermissionHelper):
    list_action: str | None = None
    create_action: str | None = None
    inspect_action: str | None = None
    edit_action: str | None = None
    delete_action: str | None = None

    @staticmethod
    def _allows(user, action, obj=None):
        return action is not None and access.can(user, action, obj)

    def user_has_any_permissions(self, user):
        return self.user_can_list(user)

    def user_can_list(self, user):
        return self._allows(user, self.list_action)

    def user_can_create(self, user):
        return self._allows(user, self.create_action)

    def user_can_inspect_obj(self, user, obj):
        return self.inspect_view_enabled and self._allows(user, self.inspect_action, obj)

    def user_can_edit_obj(self, user, obj):
        return self._allows(user, self.edit_action, obj)

    def user_can_delete_obj(self, user, obj):
        return self._allows(user, self.delete_action, obj)
