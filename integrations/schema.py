from django import forms
from django_filters import NumberFilter
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def only_signoff_api(endpoints):
    """The schema documents Signoff's API, not Wagtail's admin API that shares the URL space."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


# The one error shape every API error has (docs/api.md, "Errors and limits"): `detail` says what
# went wrong in words; refusals add a machine-readable `code` or `reason` (and submit its blocking
# `findings`). Invalid input names the fields instead: `{"field": ["what is wrong"], ...}`.
ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
    "required": ["detail"],
}
INVALID_INPUT = {
    "type": "object",
    "description": 'Each invalid field with what is wrong with it, or `{"detail": "..."}`.',
    "additionalProperties": {},
}
WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "schema": {"type": "string"},
        "description": "`Token`: send `Authorization: Token <key>`.",
    }
}
RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "string"}, "description": "Seconds to wait before trying again."}
}


NO_NUL_PATTERN = "^[^\\x00]*$"
_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
URL_PATTERN = rf"^https?://{_LABEL}(?:\.{_LABEL})*\.[a-z]{{2,63}}(?:/[!-~]*)?$"
PAGE_PARAMETERS = {"page", "cursor", "page_size"}


def _error(description: str, schema: dict = ERROR, headers: dict | None = None) -> dict:
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


class SignoffAutoSchema(AutoSchema):
    """drf-spectacular's schema, plus the errors every operation can answer with, so that a
    client (and schemathesis) finds each status code the API sends documented with its shape."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        takes_query = False
        for parameter in operation.get("parameters", ()):
            if parameter.get("in") != "query":
                continue
            takes_query = True
            # Filters and search fields read an empty value (`?platform=`, as a search form sends
            # it) as not given, so the schema admits it; a page number or cursor must be real.
            if not parameter.get("required") and parameter["name"] not in PAGE_PARAMETERS:
                parameter["allowEmptyValue"] = True
        for code, response in self._error_responses(takes_query=takes_query).items():
            documented = operation["responses"].setdefault(code, response)
            # An error a view documented without a body (`403: None`) still has the one shape.
            if "content" not in documented:
                documented["content"] = response["content"]
        return operation

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF refuses an empty list where `allow_empty=False`; drf-spectacular leaves that out.
        if (
            isinstance(field, (serializers.ListField, serializers.ManyRelatedField))
            and not field.allow_empty
            and schema.get("type") == "array"
        ):
            schema.setdefault("minItems", 1)
        # Django's URL validator takes http(s) and ftp(s) URLs with a dotted host name, not every
        # URI that `format: uri` admits ("portal:dashboard").
        if (
            direction == "request"
            and isinstance(field, serializers.URLField)
            and schema.get("type") == "string"
        ):
            schema["pattern"] = URL_PATTERN
        # DRF refuses text with NUL characters in every CharField (ProhibitNullCharactersValidator).
        if (
            direction == "request"
            and isinstance(field, serializers.CharField)
            and schema.get("type") == "string"
            and "pattern" not in schema
            and "enum" not in schema
        ):
            schema["pattern"] = NO_NUL_PATTERN
        return schema

    def _error_responses(self, *, takes_query: bool) -> dict:
        view = self.view
        errors = {}
        if self.method in ("POST", "PUT", "PATCH") or takes_query:
            errors["400"] = _error("Invalid input.", INVALID_INPUT)
        if view.get_authenticators():
            errors["401"] = _error(
                "No token, or one that is unknown, revoked or expired.", headers=WWW_AUTHENTICATE
            )
        if view.get_permissions():
            errors["403"] = _error("Not allowed (or a read-only token writing).")
        if "{" in self.path or self._get_pagination_parameters():
            errors["404"] = _error("Not found (or not one of yours), or a page past the last.")
        if self.method in ("POST", "PUT", "PATCH"):
            errors["415"] = _error("The request body is not in a media type the operation takes.")
        if view.get_throttles() or self.path.endswith("/auth/token/"):
            errors["429"] = _error("Too many requests: wait `Retry-After` seconds.", headers=RETRY_AFTER)
        return errors


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(NumberFilter):
    """An object's id in a query (`?brand=3`): a whole number, in the schema and when checked."""

    field_class = forms.IntegerField
