from __future__ import annotations

import flyloop


def test_all_is_explicit_sorted_and_importable():
    assert flyloop.__all__ == sorted(flyloop.__all__)
    for name in flyloop.__all__:
        assert hasattr(flyloop, name), name


def test_nothing_public_is_missing_from_all():
    public = {n for n, v in vars(flyloop).items() if not n.startswith("_") and not isinstance(v, type(flyloop))}
    assert public - set(flyloop.__all__) == set()


def test_error_tree_has_one_root():
    errors = [
        getattr(flyloop, n)
        for n in flyloop.__all__
        if n.endswith("Error")
        or n
        in {
            "NotFound",
            "Conflict",
            "RateLimited",
            "PermissionDenied",
            "PayloadTooLarge",
            "MalformedBody",
            "Unavailable",
        }
    ]
    assert all(issubclass(e, flyloop.FlyloopError) for e in errors)
    assert all(400 <= e.status_code < 600 for e in errors)
