"""flyloop's one exception tree (flyloop.errors): the family, each class's HTTP status, and how an
error renders for the CLI's one line and the API's JSON body."""

from __future__ import annotations

import pytest

from flyloop import errors


def test_every_error_has_the_status_its_docstring_table_declares():
    table = {
        errors.FlyloopError: 500,
        errors.ConfigError: 400,
        errors.ValidationError: 422,
        errors.MalformedBody: 400,
        errors.PayloadTooLarge: 413,
        errors.AuthError: 401,
        errors.PermissionDenied: 403,
        errors.NotFound: 404,
        errors.Conflict: 409,
        errors.NotEnoughData: 409,
        errors.Cancelled: 409,
        errors.RateLimited: 429,
        errors.StoreError: 503,
        errors.Unavailable: 503,
        errors.TransportError: 503,
        errors.BackendError: 502,
        errors.BackendTimeout: 504,
    }
    declared = {
        value for value in vars(errors).values() if isinstance(value, type) and issubclass(value, errors.FlyloopError)
    }
    assert declared == set(table)  # a new error class needs a row here and in the module's table
    assert {cls: cls.status_code for cls in table} == table


def test_the_tree_lets_callers_catch_one_family_or_one_branch():
    assert issubclass(errors.MalformedBody, errors.ValidationError)
    assert issubclass(errors.PayloadTooLarge, errors.ValidationError)
    assert issubclass(errors.PermissionDenied, errors.AuthError)
    assert not issubclass(errors.Unavailable, errors.StoreError)  # a policy gap is not a store failure
    with pytest.raises(errors.AuthError):
        raise errors.PermissionDenied("read scope needed")


def test_to_dict_carries_the_class_message_and_only_what_was_given():
    assert errors.NotFound("no interaction i9").to_dict() == {"error": "NotFound", "message": "no interaction i9"}
    err = errors.ValidationError("must be one of good, bad", field="signals[3].kind", allowed=["good", "bad"])
    assert err.to_dict() == {
        "error": "ValidationError",
        "message": "must be one of good, bad",
        "field": "signals[3].kind",
        "details": {"allowed": ["good", "bad"]},
    }
    assert (err.message, err.field, err.details) == (
        "must be one of good, bad",
        "signals[3].kind",
        {"allowed": ["good", "bad"]},
    )


def test_str_is_the_one_line_the_cli_prints():
    assert str(errors.ValidationError("is required", field="workload")) == "workload: is required"
    assert str(errors.StoreError("the database is locked")) == "the database is locked"
    assert errors.ConfigError("bad", field="").to_dict() == {"error": "ConfigError", "message": "bad", "field": ""}
    assert str(errors.ConfigError("bad", field="")) == "bad"  # an empty field names nothing
