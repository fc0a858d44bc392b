from __future__ import annotations

import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings as hyp_settings, strategies as st

from flyloop import ConfigError, Redactor, ValidationError
from flyloop import redaction
from flyloop.redaction import TOKEN, json_replace, json_strings, path_name

KEY = b"k" * 32


@pytest.fixture(scope="module")
def pattern() -> Redactor:
    return Redactor("pattern")


@pytest.fixture(scope="module")
def ner() -> Redactor:
    return Redactor("ner")  # loads spaCy once for the module


@pytest.mark.parametrize("text, expected", [
    ("Write to jane.doe@example.com today", "Write to <EMAIL_ADDRESS> today"),
    ("Call +1 (415) 555-0134 now", "Call <PHONE_NUMBER> now"),
    ("Call 415-555-0134 or 212.555.0199", "Call <PHONE_NUMBER> or <PHONE_NUMBER>"),
    ("UK office: +44 20 7946 0958.", "UK office: <PHONE_NUMBER>."),
    ("card 4111 1111 1111 1111 expires", "card <CREDIT_CARD> expires"),
    ("amex 3782-822463-10005!", "amex <CREDIT_CARD>!"),
    ("from 192.168.10.4 and 2001:db8::1", "from <IP_ADDRESS> and <IP_ADDRESS>"),
    ("IBAN DE89 3704 0044 0532 0130 00", "IBAN <IBAN_CODE>"),
    ("10.0.0.1 415-555-0134", "<IP_ADDRESS> <PHONE_NUMBER>"),  # one digit run, two entities
    ("4111 1111 1111 1111 415-555-0134", "<CREDIT_CARD> <PHONE_NUMBER>"),
])
def test_pattern_mode_replaces_each_entity_with_its_type(pattern, text, expected):
    assert pattern.redact(text) == expected


@pytest.mark.parametrize("text", [
    "What is 37 + 48?", "The answer is 85.", "Order 12345 shipped on 2024-05-01.", "version 1.2.3 of the app",
    "4111 1111 1111 1112 fails the Luhn check", "meet at 10:30 on 5/6", "no personal data here <b>bold</b>",
])
def test_pattern_mode_leaves_text_without_pii_alone(pattern, text):
    assert pattern.redact(text) == text


def test_names_need_ner_mode(pattern, ner):
    text = "My name is Maria Garcia and my email is maria@example.org"
    assert pattern.redact(text) == "My name is Maria Garcia and my email is <EMAIL_ADDRESS>"
    assert ner.redact(text) == "My name is <PERSON> and my email is <EMAIL_ADDRESS>"


def test_counts_say_what_was_found(pattern):
    result = pattern.redact_many(["a@b.io, c@d.io, 415-555-0134"])[0]
    assert result.text == "<EMAIL_ADDRESS>, <EMAIL_ADDRESS>, <PHONE_NUMBER>"
    assert dict(result.found) == {"EMAIL_ADDRESS": 2, "PHONE_NUMBER": 1}


def test_hash_style_is_keyed_and_agrees_across_formats():
    redactor = Redactor("pattern", style="hash", hash_key=KEY)
    a, b, c = (redactor.redact(t) for t in ("call 415-555-0134", "call (415) 555 0134", "call 415-555-0199"))
    assert re.fullmatch(r"call <PHONE_NUMBER:[0-9a-f]{12}>", a)
    assert a == b and a != c
    assert Redactor("pattern", style="hash", hash_key=b"x" * 32).redact("call 415-555-0134") != a
    assert redactor.redact("Mail A@Example.com") == redactor.redact("Mail a@example.com")
    with pytest.raises(ConfigError):
        Redactor("pattern", style="hash")


def test_mask_style_keeps_the_length():
    assert Redactor("pattern", style="mask").redact("mail jo@ex.io now") == "mail ******** now"  # one per character of jo@ex.io


def test_entity_choice_is_respected():
    only_email = Redactor("pattern", entities=["EMAIL_ADDRESS"])
    assert only_email.redact("jo@ex.io 415-555-0134") == "<EMAIL_ADDRESS> 415-555-0134"
    assert Redactor("off").redact("jo@ex.io") == "jo@ex.io"


def test_bad_configuration_names_the_field():
    with pytest.raises(ValidationError) as err:
        Redactor("regex")
    assert err.value.field == "redaction.mode"
    with pytest.raises(ValidationError) as err:
        Redactor("pattern", entities=["EMAIL_ADDRESS", "SHOE_SIZE"])
    assert err.value.field == "redaction.entities" and "SHOE_SIZE" in err.value.message
    with pytest.raises(ValidationError):
        Redactor("pattern", style="blur")


def test_without_the_pii_extra_redaction_refuses_to_run(monkeypatch):
    redaction._presidio.cache_clear()
    monkeypatch.setitem(sys.modules, "presidio_analyzer", None)  # import now fails, as without the extra
    try:
        with pytest.raises(ConfigError) as err:
            Redactor("pattern")
        assert "flyloop[pii]" in err.value.message
        assert Redactor("off").redact("jo@ex.io") == "jo@ex.io"  # off needs nothing
    finally:
        monkeypatch.undo()
        redaction._presidio.cache_clear()


def test_replacement_tokens_are_protected():
    text = "<EMAIL_ADDRESS> wrote **** and <PHONE_NUMBER:0123456789ab>"
    assert [m.group() for m in TOKEN.finditer(text)] == ["<EMAIL_ADDRESS>", "****", "<PHONE_NUMBER:0123456789ab>"]
    assert Redactor("pattern").redact(text) == text


PII = ["jane.doe@example.com", "a@b.io", "415-555-0134", "+44 20 7946 0958", "(212) 555-0199", "4111 1111 1111 1111",
       "5500-0000-0000-0004", "192.168.10.4", "2001:db8::1", "DE89 3704 0044 0532 0130 00"]
fragments = st.one_of(st.sampled_from(PII), st.text(alphabet="abcXYZ019 .:@-+()<>*_", max_size=12),
                      st.sampled_from(["<EMAIL_ADDRESS>", "****", " ", "\n", "call ", "mail: "]))


@hyp_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(fragments, max_size=8), style=st.sampled_from(["tag", "hash", "mask"]))
def test_redaction_is_idempotent(parts, style):
    redactor = Redactor("pattern", style=style, hash_key=KEY)
    text = "".join(parts)
    once = redactor.redact(text)
    assert redactor.redact(once) == once


@hyp_settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.tuples(st.sampled_from(["Hi ", "see ", "call ", "mail ", "ip "]), st.sampled_from(PII)), min_size=1, max_size=5))
def test_no_pii_value_survives(parts):
    text = " and ".join(prefix + value for prefix, value in parts)
    redacted = Redactor("pattern").redact(text)
    for _, value in parts:
        assert value not in redacted


def test_ner_mode_is_idempotent_on_sentences(ner):
    sentences = ["Contact John Smith at john.smith@example.com or +1 (415) 555-0134.",
                 "Maria Garcia from Berlin paid with 4111 1111 1111 1111.",
                 "Dr. Chen asked Priya Patel to call 020 7946 0958."]
    for text in sentences:
        once = ner.redact(text)
        assert ner.redact(once) == once
        assert "Smith" not in once and "Garcia" not in once and "Patel" not in once


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                           max_leaves=12)


@hyp_settings(max_examples=200, deadline=None)
@given(value=json_values)
def test_json_walk_round_trips(value):
    assert json_replace(value, {}) == value
    replacements = {path: "X" for path, _ in json_strings(value)}
    replaced = json_replace(value, replacements)
    assert all(text == "X" for _, text in json_strings(replaced))


def test_json_paths_name_nested_places():
    value = {"contact": {"emails": ["a@b.io", "c@d.io"]}, "phone": 4155550134, "small": 42, "flag": True}
    assert [(path_name(("metadata",) + p), t) for p, t in json_strings(value)] == [
        ("metadata.contact.emails[0]", "a@b.io"), ("metadata.contact.emails[1]", "c@d.io"), ("metadata.phone", "4155550134")]
