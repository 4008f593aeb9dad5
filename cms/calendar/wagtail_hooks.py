"""The agency calendar's page and menu item in the Wagtail admin."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from brands.scoping import brand_roles_of

from . import views


@hooks.register("register_admin_urls")
def register_calendar_urls():
    return [
        path("calendar/", views.CalendarView.as_view(), name="agency_calendar"),
        path("calendar/posts/<int:pk>/move/", views.MoveView.as_view(), name="agency_calendar_move"),
    ]


class CalendarMenuItem(MenuItem):
    """For the agency's people on any brand (their roles are read once per request anyway)."""

    def is_shown(self, request):
        return request.user.is_superuser or bool(brand_roles_of(request.user))


@hooks.register("register_admin_menu_item")
def register_calendar_menu_item():
    return CalendarMenuItem("Calendar", reverse("agency_calendar"), icon_name="date", order=110)
