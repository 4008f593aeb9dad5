from wagtail.admin.forms import WagtailAdminModelForm


class BrandKitForm(WagtailAdminModelForm):
    """The kit editor. Its brand is fixed: a kit is created with its brand."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("brand", None)
