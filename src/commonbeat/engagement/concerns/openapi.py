"""An OpenAPI 3.1 description of the Open311 GeoReport v2 server, served at
/open311/v2/openapi.json (for client generators and for schemathesis, which fuzzes every
operation against it in the tests). Both formats are described; JSON answers with schemas."""

from __future__ import annotations

from typing import Any

NULLABLE_STRING = {"type": ["string", "null"]}
ERRORS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
    },
}
SERVICE = {
    "type": "object",
    "required": ["service_code", "service_name", "metadata", "type"],
    "properties": {
        "service_code": {"type": "string"},
        "service_name": {"type": "string"},
        "description": {"type": "string"},
        "metadata": {"type": "boolean"},
        "type": {"enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"},
        "group": {"type": "string"},
    },
}
DEFINITION = {
    "type": "object",
    "required": ["service_code", "attributes"],
    "properties": {
        "service_code": {"type": "string"},
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["variable", "code", "datatype", "required", "order", "description"],
                "properties": {
                    "variable": {"type": "boolean"},
                    "code": {"type": "string"},
                    "datatype": {
                        "enum": [
                            "string",
                            "number",
                            "datetime",
                            "text",
                            "singlevaluelist",
                            "multivaluelist",
                        ]
                    },
                    "required": {"type": "boolean"},
                    "datatype_description": NULLABLE_STRING,
                    "order": {"type": "integer"},
                    "description": {"type": "string"},
                    "values": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
                        },
                    },
                },
            },
        },
    },
}
REQUEST = {
    "type": "object",
    "required": [
        "service_request_id",
        "status",
        "service_code",
        "requested_datetime",
        "lat",
        "long",
    ],
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"enum": ["open", "closed"]},
        "status_notes": NULLABLE_STRING,
        "service_name": {"type": "string"},
        "service_code": {"type": "string"},
        "description": NULLABLE_STRING,
        "agency_responsible": {"type": "string"},
        "service_notice": NULLABLE_STRING,
        "requested_datetime": {"type": "string"},
        "updated_datetime": NULLABLE_STRING,
        "expected_datetime": NULLABLE_STRING,
        "address": NULLABLE_STRING,
        "address_id": NULLABLE_STRING,
        "zipcode": NULLABLE_STRING,
        "lat": {"type": "number"},
        "long": {"type": "number"},
        "media_url": NULLABLE_STRING,
    },
}
TOKEN = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["service_request_id", "token"],
        "properties": {"service_request_id": NULLABLE_STRING, "token": {"type": "string"}},
    },
}
POSTED = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "service_request_id": {"type": "string"},
            "token": {"type": "string"},
            "service_notice": NULLABLE_STRING,
            "account_id": NULLABLE_STRING,
        },
    },
}
SEARCH = [
    {"name": "service_request_id", "in": "query", "schema": {"type": "string"}},
    {"name": "service_code", "in": "query", "schema": {"type": "string"}},
    {"name": "start_date", "in": "query", "schema": {"type": "string"}},
    {"name": "end_date", "in": "query", "schema": {"type": "string"}},
    {"name": "status", "in": "query", "schema": {"type": "string"}},
]
POST_BODY = {
    "type": "object",
    "properties": {
        "api_key": {"type": "string"},
        "service_code": {"type": "string"},
        "lat": {"type": "string"},
        "long": {"type": "string"},
        "address_string": {"type": "string"},
        "address_id": {"type": "string"},
        "email": {"type": "string"},
        "first_name": {"type": "string"},
        "last_name": {"type": "string"},
        "phone": {"type": "string"},
        "description": {"type": "string"},
        "media_url": {"type": "string"},
        "attribute[when]": {"type": "string"},
    },
}


def _answers(fmt: str, schema: dict[str, Any], ok: str = "200", *failures: str) -> dict[str, Any]:
    kind = "application/json" if fmt == "json" else "text/xml"
    body = {"schema": schema} if fmt == "json" else {"schema": {"type": "string"}}
    error = {"schema": ERRORS} if fmt == "json" else {"schema": {"type": "string"}}
    found: dict[str, Any] = {ok: {"description": "The answer.", "content": {kind: body}}}
    for status in failures:
        found[status] = {"description": "An error in the spec's shape.", "content": {kind: error}}
    return found


def document(root: str = "/open311/v2/") -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for fmt in ("json", "xml"):
        paths[f"/discovery.{fmt}"] = {
            "get": {
                "operationId": f"discovery_{fmt}",
                "responses": _answers(fmt, {"type": "object"}),
            }
        }
        paths[f"/services.{fmt}"] = {
            "get": {
                "operationId": f"services_{fmt}",
                "responses": _answers(fmt, {"type": "array", "items": SERVICE}),
            }
        }
        paths[f"/services/{{service_code}}.{fmt}"] = {
            "get": {
                "operationId": f"service_definition_{fmt}",
                "parameters": [
                    {
                        "name": "service_code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[a-z_]{1,20}$"},
                    }
                ],
                "responses": _answers(fmt, DEFINITION, "200", "404"),
            }
        }
        paths[f"/requests.{fmt}"] = {
            "get": {
                "operationId": f"requests_{fmt}",
                "parameters": SEARCH,
                "responses": _answers(fmt, {"type": "array", "items": REQUEST}, "200", "400"),
            },
            "post": {
                "operationId": f"post_request_{fmt}",
                "requestBody": {
                    "content": {"application/x-www-form-urlencoded": {"schema": POST_BODY}}
                },
                "responses": _answers(fmt, POSTED, "201", "400", "403", "404", "429"),
            },
        }
        paths[f"/requests/{{service_request_id}}.{fmt}"] = {
            "get": {
                "operationId": f"request_{fmt}",
                "parameters": [
                    {
                        "name": "service_request_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9a-z]{1,12}$"},
                    }
                ],
                "responses": _answers(fmt, {"type": "array", "items": REQUEST}, "200", "404"),
            }
        }
        paths[f"/tokens/{{token}}.{fmt}"] = {
            "get": {
                "operationId": f"token_{fmt}",
                "parameters": [
                    {
                        "name": "token",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9a-f-]{1,40}$"},
                    }
                ],
                "responses": _answers(fmt, TOKEN, "200", "404"),
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Commonbeat Open311 GeoReport v2",
            "version": "2",
            "description": "Residents' concerns as Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2).",
        },
        "servers": [{"url": root.rstrip("/")}],
        "paths": paths,
    }
