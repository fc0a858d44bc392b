"""The earlier labelled PII set of bench/bench_redaction.py, kept so its figures stay comparable across
versions, and the simulated traffic its ingest rounds log.

The labelled set: sentences from 30 templates (support requests, chat turns, logs, forms) with
generated emails, phone numbers (US, UK, German, French, Indian formats, with and without
country codes and separators), Luhn-valid card numbers (Visa, Mastercard, Amex, Discover;
plain, spaced, dashed), IPv4 and IPv6 addresses, and person names (first and last names from
several cultures, some with titles), each followed by a sentence with no PII but with numbers that
look like it (order ids, dates, prices, versions, tracking numbers, times, ISBNs).

The traffic: simulated questions and answers, a fifth of them carrying PII in the input, the
output or the metadata.
"""

from __future__ import annotations

import random

SEED = 20261123
TYPES = ("EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IP_ADDRESS", "PERSON")
PATTERN_TYPES = TYPES[:4]

FIRST = [
    "James",
    "Maria",
    "Wei",
    "Aisha",
    "Oliver",
    "Priya",
    "Mateo",
    "Fatima",
    "Liam",
    "Yuki",
    "Chloe",
    "Kwame",
    "Sofia",
    "Arjun",
    "Emma",
    "Omar",
    "Ingrid",
    "Diego",
    "Hannah",
    "Ravi",
    "Elena",
    "Jamal",
    "Mei",
    "Lucas",
]
LAST = [
    "Smith",
    "Garcia",
    "Chen",
    "Okafor",
    "Johnson",
    "Patel",
    "Rossi",
    "Haddad",
    "Nguyen",
    "Müller",
    "Kowalski",
    "Tanaka",
    "Brown",
    "Singh",
    "Silva",
    "Dubois",
    "Andersson",
    "Mensah",
    "Cohen",
    "Kim",
    "Murphy",
    "Ivanova",
]
DOMAINS = [
    "example.com",
    "mail.org",
    "uni-heidelberg.de",
    "company.co.uk",
    "gmail.com",
    "outlook.fr",
    "startup.io",
    "health.gov",
    "shop.com.au",
]
US_AREAS = ["212", "415", "312", "617", "206", "303", "512", "702", "404", "305", "213", "646", "718", "919"]


def email(rng: random.Random) -> str:
    first, last = rng.choice(FIRST).lower(), rng.choice(LAST).lower().replace("ü", "u")
    local = rng.choice(
        [
            f"{first}.{last}",
            f"{first[0]}{last}",
            f"{first}_{last}{rng.randint(1, 99)}",
            f"{first}+support",
            f"{last}.{first}",
        ]
    )
    return f"{local}@{rng.choice(DOMAINS)}"


def phone(rng: random.Random) -> str:
    area, exchange, line = rng.choice(US_AREAS), str(rng.randint(201, 989)), f"{rng.randint(0, 9999):04d}"
    return rng.choice(
        [
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"{area}.{exchange}.{line}",
            f"+1 {area} {exchange} {line}",
            f"+1-{area}-{exchange}-{line}",
            f"1 ({area}) {exchange}-{line}",
            f"+44 20 7946 {rng.randint(0, 999):04d}",
            f"020 7946 {rng.randint(0, 999):04d}",
            f"+44 7{rng.choice([4, 5, 7, 8, 9])}{rng.randint(10, 99)} {rng.randint(100000, 999999)}",
            f"+49 30 {rng.randint(1000000, 9999999)}",
            f"{area}{exchange}{line}",
            f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            f"+91 98{rng.randint(100, 999)} {rng.randint(10000, 99999)}",
        ]
    )


def _luhn(prefix: str, length: int, rng: random.Random) -> str:
    digits = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    total = 0
    for index, char in enumerate(reversed(digits)):
        d = int(char)
        if index % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


def card(rng: random.Random) -> str:
    kind = rng.choice(["visa", "mc", "amex", "discover"])
    if kind == "amex":
        number = _luhn(rng.choice(["34", "37"]), 15, rng)
        groups = [number[:4], number[4:10], number[10:]]
    else:
        number = _luhn({"visa": "4", "mc": str(rng.randint(51, 55)), "discover": "6011"}[kind], 16, rng)
        groups = [number[i : i + 4] for i in range(0, 16, 4)]
    return rng.choice([number, " ".join(groups), "-".join(groups)])


def ip(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return ".".join(str(rng.randint(1, 254)) for _ in range(4))
    parts = [f"{rng.randint(0, 65535):x}" for _ in range(8)]
    return rng.choice([":".join(parts), f"{parts[0]}:{parts[1]}::{parts[7]}", f"2001:db8::{parts[3]}"])


def person(rng: random.Random) -> str:
    return rng.choice(["", "", "", "Dr. ", "Ms. ", "Mr. "]) + f"{rng.choice(FIRST)} {rng.choice(LAST)}"


MAKERS = {"EMAIL_ADDRESS": email, "PHONE_NUMBER": phone, "CREDIT_CARD": card, "IP_ADDRESS": ip, "PERSON": person}
TEMPLATES = [
    "Hi, I'm {PERSON} and my email is {EMAIL_ADDRESS}.",
    "Please call me back on {PHONE_NUMBER} after 5pm.",
    "My card {CREDIT_CARD} was charged twice for order 88421.",
    "The server at {IP_ADDRESS} keeps timing out since Tuesday.",
    "Contact: {PERSON}, {PHONE_NUMBER}, {EMAIL_ADDRESS}",
    "Forward this to {EMAIL_ADDRESS} please",
    "{PERSON} said the refund goes to card ending in {CREDIT_CARD}.",
    "login failed from {IP_ADDRESS} (user {EMAIL_ADDRESS})",
    "Can {PERSON} review the draft before Friday?",
    "you can reach {PERSON} at {PHONE_NUMBER}",
    "Billing address updated; new card: {CREDIT_CARD}",
    "ssh root@{IP_ADDRESS} -p 2222 fails with a timeout",
    "Dear {PERSON},\nthanks for your message.",
    "Number is {PHONE_NUMBER}, ask for {PERSON}.",
    "Send the invoice to {EMAIL_ADDRESS} and cc {EMAIL_ADDRESS}.",
    "Rewrite this email to {PERSON} so it sounds friendlier.",
    "Why was {CREDIT_CARD} declined at checkout?",
    "Whitelist {IP_ADDRESS} and {IP_ADDRESS} in the firewall",
    "I spoke to {PERSON} yesterday about the outage.",
    "Text me: {PHONE_NUMBER}",
    "user={EMAIL_ADDRESS} ip={IP_ADDRESS} status=403",
    "Summarise the call between {PERSON} and {PERSON}.",
    "Payment method {CREDIT_CARD} expires 09/27.",
    "Is {EMAIL_ADDRESS} a valid address for {PERSON}?",
    "WhatsApp {PHONE_NUMBER} when the parcel arrives",
    "{PERSON} ({EMAIL_ADDRESS}) requested a data export.",
    "Our VPN gateway is {IP_ADDRESS}; DNS is {IP_ADDRESS}.",
    "Translate for {PERSON}: the meeting moved to 3pm.",
    "card: {CREDIT_CARD} / name: {PERSON}",
    "My phone number changed to {PHONE_NUMBER}.",
]
NEGATIVES = [
    "What is {a} + {b}?",
    "The answer is {c}.",
    "Order #{order} shipped on 2024-{m:02d}-{d:02d}.",
    "Upgrade to version {a}.{b}.{m} to fix the crash.",
    "It costs ${c},{b:03d}.99 including tax.",
    "Tracking number 1Z999AA1{order}{m}.",
    "The meeting is at {m}:{d:02d} in room {c}.",
    "ISBN 978-3-16-148410-0 is out of print.",
    "Invoice {order}{d:02d} is overdue by {a} days.",
    "Set the timeout to {c}000 ms and retry {a} times.",
    "Our Q{m} revenue grew {a}% to {c} million.",
    "Use port {c}{a} on localhost.",
    "Step {a} of {b}: paste the config.",
    "Ticket {order} was merged into ticket {order}{a}.",
    "Coordinates 48.{order}, 2.{c}{a}",
    "Batch size {c}, learning rate 0.000{a}",
]


def labelled_set(n: int, rng: random.Random) -> list[tuple[str, list[tuple[str, int, int]]]]:
    out = []
    for _ in range(n):
        template = rng.choice(TEMPLATES)
        text, spans = "", []
        for piece in template.replace("}", "{").split("{"):
            if piece in MAKERS:
                value = MAKERS[piece](rng)
                spans.append((piece, len(text), len(text) + len(value)))
                text += value
            else:
                text += piece
        out.append((text, spans))
        numbers = {
            "a": rng.randint(2, 99),
            "b": rng.randint(2, 99),
            "c": rng.randint(100, 999),
            "order": rng.randint(10000, 99999999),
            "m": rng.randint(1, 12),
            "d": rng.randint(1, 28),
        }
        out.append((rng.choice(NEGATIVES).format(**numbers), []))
    return out


INGEST_INTERACTIONS = 1500  # how many the ingest rounds log


def app_traffic(n: int, rng: random.Random) -> list[dict]:
    from flyloop.testing import question

    out = []
    for k in range(n):
        text, answer = question(rng)
        meta = {"plan": rng.choice(["free", "pro"]), "locale": "en-US"}
        output = f"The answer is {answer}."
        if k % 5 == 0:
            which = rng.randrange(3)
            if which == 0:
                text = f"{text} I'm {person(rng)}, reply to {email(rng)}"
            elif which == 1:
                output = f"{output} We will call you at {phone(rng)}."
            else:
                meta["contact"] = {"email": email(rng), "ip": ip(rng)}
        out.append(
            {"workload": "math-help", "input": text, "output": output, "user_id": f"user-{k % 200}", "metadata": meta}
        )
    return out
