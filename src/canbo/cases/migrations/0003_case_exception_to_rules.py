"""The authority's exceptions (A-5) move from ``cases.CaseException`` onto rules.RuleException
(one mechanism for every recorded exception): each row keeps its rules, reason, basis, who recorded
it and when. The right was the administrator role; administrators hold the one right
``rules.record_rule_exception`` from here on (given in the admin site to anyone else)."""

import uuid

from django.db import migrations, models

# Helpers for moving a recorded exception onto rules.RuleException (historical models only).


def _ct(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _version(apps, rule, day):
    """The version of ``rule`` in force on ``day`` (the engine's choice: the newest in force)."""
    RuleVersion = apps.get_model("rules", "RuleVersion")
    qs = RuleVersion.objects.filter(rule_id=rule)
    if day is not None:
        qs = qs.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=day)
        )
    found = qs.order_by("-version").first()
    return found.version if found else None


def _logged(apps, ct, pk, field):
    """The change-log entry that last wrote ``field`` of the record: who and when, or None."""
    ObjectChange = apps.get_model("core", "ObjectChange")
    for oc in ObjectChange.objects.filter(content_type=ct, object_id=pk).order_by("-time", "-id"):
        after = oc.postchange_data or {}
        before = oc.prechange_data or {}
        if field in after and after.get(field) != before.get(field):
            return oc
    return None


def _create(apps, **values):
    """One RuleException row, and its change-log entry (by the system: this migration)."""
    RuleException = apps.get_model("rules", "RuleException")
    ObjectChange = apps.get_model("core", "ObjectChange")
    row = RuleException.objects.create(**values)
    after = {
        f.attname: (v.isoformat() if hasattr(v, "isoformat") else v)
        for f in RuleException._meta.concrete_fields
        if f.name not in ("created", "last_updated", "row_version")
        for v in [getattr(row, f.attname)]
    }
    ObjectChange.objects.create(
        user=None,
        user_name="hệ thống",
        request_id=uuid.uuid4(),
        source="command",
        action="create",
        content_type=_ct(apps, "rules", "ruleexception"),
        object_id=row.pk,
        object_repr=f"Ngoại lệ {row.rule}: {row.basis}"[:300],
        related_person_id=row.person_id,
        reason="Chuyển ngoại lệ đã ghi sang cơ chế chung (rules.RuleException)",
        postchange_data=after,
    )
    return row


def _move_permission(apps, app_label, codename):
    """Holders (users, groups) of the old exception permission hold the one right instead."""
    Permission = apps.get_model("auth", "Permission")
    new, _ = Permission.objects.get_or_create(
        content_type=_ct(apps, "rules", "ruleexception"),
        codename="record_rule_exception",
        defaults={"name": "Ghi nhận ngoại lệ quy định"},
    )
    old = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if old is None:
        return
    for user in old.user_set.all():
        user.user_permissions.add(new)
    for group in old.group_set.all():
        group.permissions.add(new)
    old.delete()


def forward(apps, schema_editor):
    CaseException = apps.get_model("cases", "CaseException")
    Grant = apps.get_model("accounts", "Grant")
    Permission = apps.get_model("auth", "Permission")
    ct = _ct(apps, "cases", "candidate")
    rows = CaseException.objects.select_related("candidate__case").order_by("created", "id")
    for e in rows:
        cand = e.candidate
        _create(
            apps,
            rule=e.rules,
            rule_version=_version(apps, e.rules.strip(), e.created.date()),
            content_type=ct,
            object_id=cand.pk,
            key=f"{e.pk}" if CaseException.objects.filter(candidate=cand, rules=e.rules).count() > 1 else "",
            unit_id=cand.case.unit_id,
            person_id=cand.person_id,
            reason=e.reason,
            basis=e.basis,
            recorded_by_id=e.granted_by_id,
            recorded_at=e.created,
        )
    right, _ = Permission.objects.get_or_create(
        content_type=_ct(apps, "rules", "ruleexception"),
        codename="record_rule_exception",
        defaults={"name": "Ghi nhận ngoại lệ quy định"},
    )
    for grant in Grant.objects.filter(role="admin").select_related("user"):
        grant.user.user_permissions.add(right)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_step_votes_as_rows"),
        ("rules", "0004_rule_exception"),
        ("core", "0002_access_log"),
        ("accounts", "0002_grant_management_scope_account"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.DeleteModel(name="CaseException"),
    ]
