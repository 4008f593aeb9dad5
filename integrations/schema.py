def only_signoff_api(endpoints):
    """The schema documents Signoff's API, not Wagtail's admin API that shares the URL space."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]
