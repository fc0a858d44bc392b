"""The OpenAPI document (flyloop.server.openapi): bodies read by hand, every error in one schema, the
rules it states."""

from __future__ import annotations

import orjson


def body(interactions=(), signals=(), outcomes=()):
    return orjson.dumps({"interactions": list(interactions), "signals": list(signals), "outcomes": list(outcomes)})


def it(id, **kw):
    return {"id": id, "workload": "support", "input": "How do I reset my password?", "output": "Click 'forgot'.", **kw}


def test_openapi_documents_the_ingest_body(api):
    doc = api.client.get("/openapi.json").json()
    ref = doc["paths"]["/v1/ingest"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/IngestBatch"
    assert {"InteractionIn", "SignalIn", "OutcomeIn", "IngestBatch"} <= set(doc["components"]["schemas"])


def test_the_openapi_document_lists_every_error_with_our_schema(api):
    doc = api.client.get("/openapi.json").json()
    assert set(doc["components"]["schemas"]["ErrorBody"]["required"]) == {"error", "message"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "413", "422"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}, (method, path, status)
            assert ("401" in operation["responses"]) is (path != "/healthz"), (method, path)
            assert (operation.get("security") == []) is (path in ("/healthz", "/v1/feedback")), (method, path)


def test_the_openapi_document_states_the_rules_it_can_and_names_the_others(api):
    """What scripts/fuzz.py leaves to words (positive_data_acceptance off) is in the document."""
    import re as regex

    doc = api.client.get("/openapi.json").json()
    api.post("/v1/ingest", content=body([it(f"i{n}", ts=1000 + n) for n in range(3)]))
    cursor = api.get("/v1/interactions?limit=1").json()["next_cursor"]
    (param,) = [p for p in doc["paths"]["/v1/interactions"]["get"]["parameters"] if p["name"] == "cursor"]
    string = param["schema"]["anyOf"][0]
    assert regex.fullmatch(string["pattern"], cursor) and api.get("/v1/interactions?cursor=").status_code == 200
    assert "next_cursor" in param["description"]
    (split,) = [
        p for p in doc["paths"]["/v1/datasets/{ref}/export/{target}"]["get"]["parameters"] if p["name"] == "split"
    ]
    assert "eval" in split["description"]
    config = doc["components"]["schemas"]["CurationConfig"]
    assert config["properties"]["kinds"]["minItems"] == 1
    assert config["properties"]["workloads"]["anyOf"][0]["minItems"] == 1
    assert "add up to 1" in config["description"]
    assert "rating" in doc["components"]["schemas"]["SignalIn"]["properties"]["value"]["description"]


def test_the_openapi_document_says_no_string_holds_a_nul(api):
    doc = api.client.get("/openapi.json").json()
    consent = doc["paths"]["/v1/users/consent"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert consent["properties"]["user_id"]["pattern"] == "^[^\\u0000]*$"
    assert consent["additionalProperties"] is False
    assert doc["components"]["schemas"]["JsonObject"]["propertyNames"] == {"pattern": "^[^\\u0000]*$"}
