"""Django's model permissions, for the accounts that use the Django admin.

The portal's own permissions are rules (each app's ``rules.py``, ``rules.permissions.ObjectPermissionBackend``)
and its role groups carry no model permissions. Django's ``ModelBackend`` would still load a user's model
permissions (two queries) the first time a page asks ``user.has_perm`` for a permission the rules deny,
which the menu does on every page. Only staff accounts can reach the admin, where model permissions are
assigned and used, so only theirs are loaded; for everyone else the answer was always the empty set.
"""

from django.contrib.auth.backends import ModelBackend


class StaffModelBackend(ModelBackend):
    def get_user_permissions(self, user_obj, obj=None):
        return super().get_user_permissions(user_obj, obj) if user_obj.is_staff else set()

    def get_group_permissions(self, user_obj, obj=None):
        return super().get_group_permissions(user_obj, obj) if user_obj.is_staff else set()
