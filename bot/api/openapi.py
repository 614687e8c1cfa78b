"""The OpenAPI 3.1 document of the REST API, built from the routes and the commands.

Each `/api/v1` view carries an `Operation` (`@documented(...)`): its summary, the command its body
is read as, the answer's schema and its query parameters. `document(app)` walks the app's URL map,
so a route without an `Operation` is a test failure (tests/test_openapi.py), never a gap in the
document. Request bodies are the commands' own JSON Schema (bot/commands), answers are
bot/api/schemas.py, and every refusal is the one `Error` shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from bot.api.schemas import Error
from bot.errors import Malformed

routes = Blueprint("openapi", __name__)
PREFIX = "/api/v1"
TITLE = "Maeul REST API"
REF = "#/components/schemas/{model}"
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
EXAMPLES = {"slug": "pungsan", "channel": "kakao"}  # path values that reach something real


@dataclass(frozen=True)
class Param:
    name: str
    schema: dict[str, Any]
    description: str = ""


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    body_required: bool = True
    status: int = 201
    answer: Any = None  # a model, a listing(...) of one, or a JSON Schema
    query: tuple[Param, ...] = ()
    body_media: dict[str, Any] | None = None  # instead of a JSON body (the roster upload)
    answer_media: str = "application/json"
    public: bool = False
    admin_only: bool = False


def documented(summary: str, tag: str, **details: Any):  # noqa: ANN201
    """Describe a view for the document; `status` defaults to 201 for POST views that create,
    pass `status=200` otherwise."""

    def mark(view):  # noqa: ANN001, ANN202
        view.operation = Operation(summary, tag, **details)
        return view

    return mark


@dataclass
class _Models:
    """The models the document refers to, collected while the paths are built."""

    seen: dict[str, type[BaseModel]] = field(default_factory=dict)

    def ref(self, value: Any) -> Any:
        if isinstance(value, type) and issubclass(value, BaseModel):
            self.seen[value.__name__] = value
            return {"$ref": REF.format(model=value.__name__)}
        if isinstance(value, dict):
            return {key: self.ref(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.ref(item) for item in value]
        return value

    def schemas(self) -> dict[str, Any]:
        pairs = [(model, "validation") for model in self.seen.values()]
        _, top = models_json_schema(pairs, ref_template=REF)
        return _optional(top.get("$defs", {}))


def _optional(schema: Any) -> Any:
    """Without `"default": null`: a field that may be left out is simply not required (an update
    leaves out what does not change), and null is not always a value it takes."""
    if isinstance(schema, dict):
        return {key: _optional(value) for key, value in schema.items()
                if not (key == "default" and value is None)}
    if isinstance(schema, list):
        return [_optional(value) for value in schema]
    return schema


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for converter, name in PARAM.findall(rule):
        if converter == "int":
            schema = {"type": "integer", "minimum": 0, "maximum": 2_147_483_647, "examples": [1]}
        else:
            schema = {"type": "string", "minLength": 1, "pattern": "^[^/]+$",
                      "examples": [EXAMPLES.get(name, "x")]}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return PARAM.sub(lambda m: "{" + m.group(2) + "}", rule), params


def _operation(op: Operation, method: str, params: list[dict[str, Any]],
               models: _Models, endpoint: str) -> dict[str, Any]:
    status = op.status if method == "post" else 200
    answer: dict[str, Any] = {"description": op.summary}
    if op.answer is not None:
        schema = models.ref(op.answer) if op.answer_media == "application/json" else op.answer
        answer["content"] = {op.answer_media: {"schema": schema}}
    query = [{"name": p.name, "in": "query", "required": False, "schema": p.schema,
              "description": p.description} for p in op.query]
    built: dict[str, Any] = {
        "operationId": endpoint.rsplit(".", 1)[-1], "summary": op.summary, "tags": [op.tag],
        "parameters": params + query,
        "responses": {str(status): answer, "default": {
            "description": "A refusal: a stable code and a message (see Error)",
            "content": {"application/json": {"schema": models.ref(Error)}}}},
    }
    if op.body is not None:
        built["requestBody"] = {"required": op.body_required, "content": {
            "application/json": {"schema": models.ref(op.body)}}}
        if op.body.__doc__:
            built["description"] = " ".join(op.body.__doc__.split())
    elif op.body_media is not None:
        built["requestBody"] = {"required": True, "content": op.body_media}
    if op.public:
        built["security"] = []
    if op.admin_only:
        built["description"] = (built.get("description", "") + " City admin only.").strip()
    return built


def document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every `/api/v1` route of `app`, built once per app (the
    routes do not change after `create_app`)."""
    built = app.extensions.get("maeul.openapi")
    if built is None:
        built = app.extensions["maeul.openapi"] = _build(app)
    return built


def _build(app: Flask) -> dict[str, Any]:
    models = _Models()
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        op = getattr(app.view_functions[rule.endpoint], "operation", None)
        if op is None:
            raise LookupError(f"{rule.rule} has no Operation (@documented)")
        path, params = _path(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(
                op, method.lower(), params, models, rule.endpoint)
    return {
        "openapi": "3.1.0",
        "info": {"title": TITLE, "version": "1",
                 "description": "Communities, ballots, proposals, residents and rooms of Maeul, "
                                "for managers and integrators. Send `Authorization: Bearer "
                                "<token>`; every refusal answers `{\"error\": {\"code\", "
                                "\"message\", \"details\"}}`."},
        "paths": paths,
        "components": {"schemas": models.schemas(),
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }


def known_parameters() -> None:
    """A query parameter the operation does not take is refused, not ignored: `?verifed=true`
    would otherwise answer everyone."""
    view = current_app.view_functions.get(request.endpoint or "")
    op = getattr(view, "operation", None)
    unknown = sorted(set(request.args) - {p.name for p in op.query}) if op else []
    if unknown:
        raise Malformed("unknown_parameter", names=", ".join(unknown)[:200])


@routes.get("/openapi.json")
@documented("This document", "meta", public=True, answer={"type": "object"}, status=200)
def openapi_json():
    return jsonify(document(current_app))


docs = Blueprint("api_docs", __name__, url_prefix="/api", template_folder="templates")


@docs.get("/docs")
def docs_page():
    """`/api/docs`: the document as a page to read, rendered here (no script, no CDN)."""
    spec = document(current_app)
    operations = [(path, method, op) for path, methods in spec["paths"].items()
                  for method, op in methods.items()]
    return render_template("api_docs.html", spec=spec, operations=operations,
                           schemas=spec["components"]["schemas"])
