"""The error answers of every API operation, added to the OpenAPI schema that drf-spectacular generates.

drf-spectacular documents what a view returns on success. Clients generated from the schema
(and researchers reading /api/v1/docs/) also need the errors every endpoint can give, which
follow from how the API is built rather than from each view:

- 400 where the operation takes a body or query parameters (filters, pagination): an object
  that names each field at fault with its messages;
- 401 where a login is needed and none (or an unknown token) was sent;
- 403 where a login is needed: the caller's role may not do this, or a session lacks its CSRF token;
- 404 where the path names an object: it does not exist *or the caller is not in its project*;
  and on a list, for a page past its end;
- 409 on writes: the change conflicts with the current state (the last owner leaving, a
  label still in use, documents imported before);
- 413 where the operation takes a body: it, or the field named, is over its size limit, refused
  before it is read whole;
- 415 where the operation takes a body: DRF refuses a Content-Type the view has no parser
  for (or a multipart body whose type it cannot read) before the view runs.
"""

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each field at fault, with its messages (a list of strings, or nested for nested fields); "
    "a 409 may instead describe the state that conflicts (say, an export still being built).",
    "additionalProperties": {},
}
WRITES = {"post", "put", "patch", "delete"}
DESCRIPTIONS = {
    "400": "Invalid input: the answer names each field at fault.",
    "401": "Not logged in: send `Authorization: Token <token>` or log in.",
    "403": "Logged in, but your role in this project may not do this (or the session's CSRF token is missing).",
    "404": "No such object, or you are not a member of its project (on a list: no such page).",
    "409": "The change conflicts with the current state; the answer says how.",
    "413": "The body, or the field named, is larger than its limit.",
    "415": "The body's Content-Type is not one this operation reads (JSON, form or multipart).",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in WRITES | {"get"}:
                continue
            public_operation = {} in operation.get("security", [{}])
            parameters = operation.get("parameters", [])
            query = {parameter["name"] for parameter in parameters if parameter.get("in") == "query"}
            codes = []
            if "requestBody" in operation or query:
                codes.append("400")
            if not public_operation:
                codes += ["401", "403"]
            if "{" in path or "page" in query:
                codes.append("404")
            if method in WRITES and not public_operation:
                codes.append("409")
            if "requestBody" in operation:
                codes += ["413", "415"]
            responses = operation.setdefault("responses", {})
            for code in codes:
                schema = "FieldErrors" if code in ("400", "409", "413") else "Error"
                responses.setdefault(
                    code,
                    {
                        "description": DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
                    },
                )
    return result
