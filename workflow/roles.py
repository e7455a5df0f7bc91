"""The role groups and the process permissions each needs (viewflow checks them)."""

from django.contrib.auth.models import Group, Permission

from mentoring.models import Role

VIEW_PROCESS = "workflow.view_innovationprocess"
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: [
        VIEW_PROCESS,
        "workflow.manage_innovationprocess",
        "workflow.close_case",
        "mentoring.act_as_admin",
    ],
    Role.MENTOR: [VIEW_PROCESS],
    Role.VERIFIER: [VIEW_PROCESS, "workflow.verify_case"],
    Role.OPD_HEAD: [VIEW_PROCESS],
    Role.OPD_OPERATOR: [VIEW_PROCESS],
    Role.OBSERVER: [VIEW_PROCESS],
}


def ensure_roles(**kwargs) -> None:
    """Create the role groups and grant their permissions (idempotent; runs after migrate)."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found:
                wanted.append(found)
        group.permissions.add(*wanted)
