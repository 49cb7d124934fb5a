"""The OpenAPI 3.1 document, built from the endpoint declarations and their pydantic models."""

from __future__ import annotations

import re

from licensing.api.schemas import Error

ERROR_RESPONSES = {
    "400": "Invalid request or field errors",
    "401": "No valid token",
    "403": "Role not allowed",
    "404": "Not found",
    "409": "Conflicting update",
    "413": "Request too large",
    "429": "Rate limited",
}


def _path(rule: str) -> tuple[str, list[dict]]:
    params = []
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        schema = (
            {"type": "integer", "minimum": 1}
            if converter == "int"
            else {"type": "string", "maxLength": 40, "minLength": 1}
        )
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), params


def _schema(model, components: dict) -> dict:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def document(operations) -> dict:
    """Every /api/v1 operation with its parameters, body, response and error shapes."""
    components: dict = {}
    error_ref = _schema(Error, components)
    paths: dict = {}
    for op in operations:
        path, parameters = _path("/api/v1" + op.path)
        parameters += [
            {
                "name": q,
                "in": "query",
                "required": False,
                "schema": {"type": "integer", "minimum": 1, "maximum": 100},
            }
            for q in op.query
        ]
        parameters += [
            {
                "name": h,
                "in": "header",
                "required": False,
                "schema": {"type": "string", "minLength": 5, "maxLength": 300},
            }
            for h in op.headers
        ]
        operation = {
            "operationId": op.endpoint.replace(".", "_"),
            "summary": op.summary,
            "description": "Roles: " + ", ".join(r.label for r in op.roles),
            "parameters": parameters,
            "security": [{"bearer": []}],
            "responses": {
                str(op.status): {
                    "description": "Success",
                    "content": {"application/json": {"schema": _schema(op.response, components)}},
                }
            }
            | {
                code: {"description": text, "content": {"application/json": {"schema": error_ref}}}
                for code, text in ERROR_RESPONSES.items()
            },
        }
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema(op.body, components)}},
            }
        paths.setdefault(path, {})[op.method] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Licensing intelligence register API",
            "version": "1.0.0",
            "description": "Every call acts as the token's user, with their role and authority, and is "
            "audited. Errors share one shape.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
