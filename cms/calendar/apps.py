from django.apps import AppConfig


class CalendarConfig(AppConfig):
    """The agency calendar in the admin, and the calendar grid the client portal shares."""

    name = "cms.calendar"
    label = "agency_calendar"
    verbose_name = "Calendar"
