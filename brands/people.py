"""People on the record: a user named by what must stay as it was (the archive's authors and
approvers, review decisions, review comments: each a PROTECT foreign key) can't be deleted, only
deactivated. Wagtail's user deletion, one by one or in bulk, asks here first and says so, instead
of failing on the database (found by two attacks)."""

from django.db import router
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector


def records_naming(user) -> list[str]:
    """What keeps `user` from being deleted, as the plural names of those records (sorted), or
    nothing: Django's own deletion collector, asked without deleting."""
    collector = Collector(using=router.db_for_write(type(user), instance=user))
    try:
        collector.collect([user])
    except ProtectedError as error:
        kept_by = error.protected_objects
    except RestrictedError as error:
        kept_by = error.restricted_objects
    else:
        return []
    return sorted({str(record._meta.verbose_name_plural) for record in kept_by})


def kept_on_record_message(user, records: list[str]) -> str:
    named_by = records[0] if len(records) == 1 else ", ".join(records[:-1]) + " and " + records[-1]
    return (
        f"{user.get_username()} can't be deleted: {named_by} name them and are kept as they were. "
        "Deactivate the account instead (untick Active): they can no longer sign in."
    )
