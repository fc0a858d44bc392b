"""What both modes of the project handle share (flyloop.sdk.transport): arguments checked alike,
API paths built from an app's ids, JSON bodies refused rather than changed, and an API answer
turned back into the flyloop error the server raised."""

from __future__ import annotations

import httpx
import pytest

from flyloop import errors
from flyloop.sdk.transport import _json_body, answer_error, api_path, check_filters, check_text, check_whole


def test_an_answer_names_its_error_class_message_field_and_details():
    error = answer_error(
        httpx.Response(
            404, json={"error": "NotFound", "message": "no label for i1", "field": "id", "details": {"pending": 2}}
        )
    )
    assert (type(error), error.message, error.field, error.details) == (
        errors.NotFound,
        "no label for i1",
        "id",
        {"pending": 2},
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (400, errors.MalformedBody),
        (401, errors.AuthError),
        (403, errors.PermissionDenied),
        (404, errors.NotFound),
        (409, errors.Conflict),
        (413, errors.PayloadTooLarge),
        (422, errors.ValidationError),
        (429, errors.RateLimited),
    ],
)
def test_an_answer_without_a_flyloop_body_maps_by_its_status(status, expected):
    error = answer_error(httpx.Response(status, text="<html>proxy says no</html>"))
    assert (type(error), error.message) == (expected, "<html>proxy says no</html>")


def test_a_server_error_is_a_transport_error_that_may_be_retried():
    error = answer_error(httpx.Response(502, json={"message": "upstream down"}))
    assert (type(error), str(error)) == (errors.TransportError, "server answered 502: upstream down")


def test_text_arguments_are_checked_before_any_transport():
    assert check_text("u-42", "user_id") == "u-42"
    with pytest.raises(errors.ValidationError) as wrong_type:
        check_text(5, "interaction_id")
    assert (wrong_type.value.field, wrong_type.value.message) == (
        "interaction_id",
        "interaction_id must be a string, not int",
    )
    for bad in ("a\x00b", "a\ud800b"):
        with pytest.raises(errors.ValidationError) as unstorable:
            check_text(bad, "ref")
        assert unstorable.value.field == "ref"


def test_filters_and_whole_numbers_are_refused_by_type():
    check_filters(since=1.5, until=2, infer=True, workload="w", user_id=None)
    for given, field in (({"since": "yesterday"}, "since"), ({"infer": "yes"}, "infer"), ({"workload": 7}, "workload")):
        with pytest.raises(errors.ValidationError) as refused:
            check_filters(**given)
        assert refused.value.field == field
    assert check_whole(10, "limit") == 10
    for bad in (True, 1.0, "10"):
        with pytest.raises(errors.ValidationError):
            check_whole(bad, "limit")


def test_an_id_stays_in_its_path_segment():
    assert api_path("v1", "labels", "a/b?c d") == "/v1/labels/a%2Fb%3Fc%20d"


def test_a_body_json_would_change_is_refused_naming_where():
    assert _json_body({"retention": {"content_days": 30}}) == b'{"retention":{"content_days":30}}'
    with pytest.raises(errors.ValidationError) as nan:
        _json_body({"retention": {"content_days": float("nan")}})
    assert nan.value.field == "retention.content_days"
    with pytest.raises(errors.ValidationError) as infinite:
        _json_body({"weights": [1.0, float("inf")]})
    assert infinite.value.field == "weights.1"
    with pytest.raises(errors.ValidationError) as huge:
        _json_body({"limit": 2**70})
    assert huge.value.field == "body"


def test_a_segment_is_refused_alike_when_it_cannot_travel_in_a_path():
    from flyloop.sdk.transport import check_number, check_segment

    assert check_segment("triage v2", "workload") == "triage v2"
    for bad in ("", "  ", "a/b", 5):
        with pytest.raises(errors.ValidationError) as refused:
            check_segment(bad, "workload")
        assert refused.value.field == "workload"
    assert check_number(0.5, "min_quality") == 0.5
    for bad in (float("nan"), float("inf"), True, "1"):
        with pytest.raises(errors.ValidationError):
            check_number(bad, "min_quality")


def test_long_work_waits_longer_for_its_answer_and_connects_as_fast():
    """A bank build or a loop run answers when it is done: the read waits ``wait_s``, not the SDK's
    send timeout; other calls keep the client's."""
    from types import SimpleNamespace

    from flyloop import Settings
    from flyloop.sdk.transport import Remote

    seen = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json={})

    client = httpx.Client(base_url="http://flyloop", transport=httpx.MockTransport(answer), timeout=10.0)
    remote = Remote(SimpleNamespace(client=client), "acme", Settings(sdk_timeout_s=2.0))
    remote.call("POST", "/v1/banks", body={"workload": "w"}, wait_s=3600.0)
    remote.call("GET", "/v1/banks")
    assert seen == [
        {"connect": 2.0, "read": 3600.0, "write": 2.0, "pool": 2.0},
        {"connect": 10.0, "read": 10.0, "write": 10.0, "pool": 10.0},
    ]
