"""Numbers (flyloop.privacy.pii_numbers): cards by Luhn, brand and grouping, SSNs by their area, phones
by their grouping, plan or label in many languages, and identifiers' nouns that keep an order's or a
parcel's digits out; read through pattern_hits, which hands them their text with dates blanked."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_numbers import has_phone_word, luhn
from flyloop.privacy.pii_patterns import PATTERN_ENTITIES, pattern_hits

ALL = frozenset(PATTERN_ENTITIES)


def found(text: str, wanted: frozenset[str] = ALL) -> list[tuple[str, str, float]]:
    return [
        (h.entity, text[h.start : h.end], h.score) for h in sorted(pattern_hits(text, wanted), key=lambda h: h.start)
    ]


def test_luhn_accepts_valid_numbers_only():
    assert [luhn(d) for d in ("4111111111111111", "79927398713", "4111111111111112", "79927398710")] == [
        True,
        True,
        False,
        False,
    ]


def test_cards_need_luhn_ssns_an_issued_area_and_phones_their_grouping():
    assert found("card 4111 1111 1111 1111 exp") == [("CREDIT_CARD", "4111 1111 1111 1111", 0.9)]
    assert found("order 4111 1111 1111 1112") == []
    assert found("SSN 219-09-9999") == [("US_SSN", "219-09-9999", 0.9)]
    assert "US_SSN" not in {entity for entity, _, _ in found("SSN 666-09-9999")}  # area 666 is never issued
    assert found("call +1 (415) 555-0134 now") == [("PHONE_NUMBER", "+1 (415) 555-0134", 0.9)]


@pytest.mark.parametrize(
    "text",
    ["Numéro de sécurité sociale américain: 457555462", "número de seguro social 536221234", "taxpayer 536221234"],
)
def test_nine_bare_digits_are_an_ssn_beside_the_words_other_languages_use(text):
    assert [h[0] for h in found(text)] == ["US_SSN"]


def test_a_luhn_number_without_a_brand_prefix_labelled_an_order_is_no_card():
    # "refund" is a card word, but "order" right before the number labels it an identifier
    assert found("refund of 413.46 EUR issued for order 913599271719") == []
    assert [h[0] for h in found("refund to card 913599271719")] == ["CREDIT_CARD"]
    assert [h[0] for h in found("order 4111 1111 1111 1111 paid")] == ["CREDIT_CARD"]  # a brand's prefix


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Patient: Ana\nTel: 991", [("PHONE_NUMBER", "991")]),  # a short number in a phone's field
        ("refund card 6011000990139424, phone 1270", [("CREDIT_CARD", "6011000990139424"), ("PHONE_NUMBER", "1270")]),
        ("call 800735 and ask for Ana", [("PHONE_NUMBER", "800735")]),
        ("Người nhận: Lan, SĐT 997", [("PHONE_NUMBER", "997")]),
        ("call 404 of 500 failed", []),  # the clause goes on: a count, not a number to dial
        ("call 57 of 99 failed", []),
        ("phone 1270.5 kg", []),
        ("Dial 112 in Europe", []),
        ("Telephone: 4412", [("PHONE_NUMBER", "4412")]),  # every label the clause rule knows is looked for
    ],
)
def test_a_short_number_right_after_a_phone_label_ends_its_clause(text, expected):
    assert [(t, v) for t, v, _ in found(text)] == expected


def test_two_zeros_before_a_country_code_yield_to_an_identifier_noun_only():
    assert found("parcel 002784186598 weighs 43.4 kg") == []  # a parcel's number, not a call abroad
    assert found("shipment no. 004420794609 left") == []
    assert [(t, v) for t, v, _ in found("call 004420794609 now")] == [("PHONE_NUMBER", "004420794609")]
    # "no" alone (Portuguese "at the") is no identifier's noun
    assert [(t, v) for t, v, _ in found("Falar com Ana no 004420794609")] == [("PHONE_NUMBER", "004420794609")]


def test_a_phone_label_is_looked_for_as_a_word_after_a_cheap_substring_test():
    texts = ["Tel: 991", "SĐT 997", "TÉL. 112", "call 800735 now", "the next 991", "text 555", "What is 32 + 96?"]
    assert [has_phone_word(t) for t in texts] == [True, True, True, True, False, False, False]
    spans = [[(kind, value) for kind, value, _ in found(t)] for t in texts]
    assert spans == [[("PHONE_NUMBER", "991")], [("PHONE_NUMBER", "997")], [("PHONE_NUMBER", "112")], [], [], [], []]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Brazilian mobile after its bracketed area code: a five-digit group, or the leading 9 alone
        ("Falar com Ana (11) 94180-4519", [("PHONE_NUMBER", "(11) 94180-4519")]),
        ("tel (61) 9 4841-9490, active", [("PHONE_NUMBER", "(61) 9 4841-9490")]),
        # "no" in lowercase without a stop is another language's word, not "number"
        ("Falar com Ísis no 3185318280", [("PHONE_NUMBER", "3185318280")]),
        ("Falar com Jenny no 138 2777 0295", [("PHONE_NUMBER", "138 2777 0295")]),
        ("invoice no. 4155550134", []),
        ("No 4155550134", []),
        # a number may touch a script written without spaces
        ("请联系李明老师，他的手机是139 1234 5678。", [("PHONE_NUMBER", "139 1234 5678")]),
        ("電話090-1234-5678まで", [("PHONE_NUMBER", "090-1234-5678")]),
        # an order number's label in Chinese, Japanese or Korean makes it an identifier
        ("订单号 16834522921，金额 ¥655.59", []),
        ("주문번호 01012345678", []),
        # a date written year. month. day. (Hungarian, Korean) is no phone number
        ("Rendelésszám: 20280740, kelt 2008. 12. 28.", []),
        ("발송일 2024. 3. 5. 오후", []),
    ],
)
def test_phone_numbers_and_identifiers_in_other_languages(text, expected):
    assert [(kind, value) for kind, value, _ in found(text)] == expected


def test_phones_by_the_words_of_other_languages_and_identifiers_by_theirs():
    phones = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "US_SSN"})
    # a mobile in two groups, after Greek's and Hindi's word for a phone
    assert found("Επικοινωνία: Δήμητρα, τηλ. 6919 141155", phones) == [("PHONE_NUMBER", "6919 141155", 0.9)]
    assert found("संपर्क: रेखा, फ़ोन 9844-360700", phones) == [("PHONE_NUMBER", "9844-360700", 0.9)]
    # an order's, a parcel's or a meter's number in Greek, Indonesian and English is no phone
    assert found("Αρ. παραγγελίας 5354949000, σύνολο 501,35 €", phones) == []
    assert found("Nomor resi 003236160250, ongkir Rp239.8922", phones) == []
    assert found("meter reading 7491708600 kWh on 19/4/1998", phones) == []
    assert found("invoice 2023 000123", phones) == []


def test_a_clitic_before_a_phone_a_trailing_colon_after_an_address_and_more_identifiers():
    phones = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "US_SSN"})
    # Zulu's "ku-" ("at") joined to the number; an identifier's prefix is no clitic
    assert found("sicela usishayele ku-0722 987 476", phones) == [("PHONE_NUMBER", "0722 987 476", 0.9)]
    assert found("invoice INV-2024-000123 due in 30 days", phones) == []
    # Icelandic's word for a phone; a mobile-money record's key
    assert found("Kveðja,\nEdel\nsími 579 5218", phones) == [("PHONE_NUMBER", "579 5218", 0.9)]
    assert found('{"msisdn": "510-4184"}', phones) == [("PHONE_NUMBER", "510-4184", 0.9)]
    # "№", "n°", "folio", a till's number: identifiers
    assert found("Фактура № 9107261378, сума 970,50 лв.", phones) == []
    assert found("Commande n° 7035069405, total 115,61 DH", phones) == []
    assert found("Folio 8119315718, total $901,38.00 MXN", phones) == []
    assert found("Ksh750,930.00 paid to till 36928721. New M-PESA balance", phones) == []
    # an IPv6 address before a colon that ends a clause
    assert found("from 6ac5:38b8:41e1:c21d:948a:e20f:126b:30e7: 3 failed logins", frozenset({"IP_ADDRESS"})) == [
        ("IP_ADDRESS", "6ac5:38b8:41e1:c21d:948a:e20f:126b:30e7", 0.95)
    ]


def test_phones_after_albanian_and_latvian_words_and_invoices_in_serbian():
    phones = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "US_SSN"})
    assert found("na telefononi në 123 4567", phones) == [("PHONE_NUMBER", "123 4567", 0.9)]
    assert found("Ar cieņu,\nDenisa\ntālr. 2345 6789", phones) == [("PHONE_NUMBER", "2345 6789", 0.9)]
    assert found("Рачун бр. 16503376524, износ 296.960 дин.", phones) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # a payment's reference and a parcel's number with its carrier's code between: identifiers
        ("Variabilní symbol 4224026991, částka 422 Kč", []),
        ("No. Resi JNE 79961930639, ongkir Rp 902.000", []),
        ("serial SN 4417-8823-9910", []),
        # the words for a phone or a call in Chilean Spanish, Indonesian, Czech, Armenian in Latin letters
        ("RUT en trámite | fono 8929-0788", [("PHONE_NUMBER", "8929-0788")]),
        ("minta dihubungi di 7489 2312 sebelum jam 5", [("PHONE_NUMBER", "7489 2312")]),
        ("Ahoj Robine, zavolej mi na 9964-8835", [("PHONE_NUMBER", "9964-8835")]),
        ("zangahari 9143-7487 hamarov", [("PHONE_NUMBER", "9143-7487")]),
    ],
)
def test_identifiers_and_phone_words_of_a_fourth_round_of_languages(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # firms' numbers: SIREN grouped like a phone, SIRET with a card brand's prefix, Kazakhstan's BIN
        ("SIREN 994 069 002, code postal 70752", []),
        ("SIRET 36252187900034, facture n° 12345678", []),
        ("БИН 123456789012, кассовый чек 12345678", []),
        # a card after the word for a card in Ukrainian, without a brand's prefix
        ("Картка 9264-5377-0498-6317, власник Лариса", [("CREDIT_CARD", "9264-5377-0498-6317")]),
        # an identifier's noun before a brand's prefix, with a card word near or not
        ("order 4111111111111111 shipped", []),
        ("order 4111111111111111 paid by card", [("CREDIT_CARD", "4111111111111111")]),
        # Kazakh "contact", Mauritian Creole "call"
        ("Тапсырысыңыз дайын, байланыс: 5295 4675", [("PHONE_NUMBER", "5295 4675")]),
        ("Bonzour Vikash, apel mwa lor 5748 2213", [("PHONE_NUMBER", "5748 2213")]),
    ],
)
def test_identifiers_cards_and_phone_words_of_a_fifth_round_of_languages(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # an object identifier after SNMP's words; a payment reference; a barcode; a lot's code
        ("SNMP OID 1.3.6.1 polled every 30 s", []),
        ("Multibanco: Entidade 12345, Referência 123 456 789, Montante 12,50 €", []),
        ("EAN-13 4006381333931, caixa de 12 unidades", []),
        # the words for a phone in Portuguese and Chinese (no space nor word boundary before the number's label)
        ("Telemóvel: 6319 0211", [("PHONE_NUMBER", "6319 0211")]),
        ("澳門布兰先生，請致電 72160213", [("PHONE_NUMBER", "72160213")]),
        # "Liga" is a league too
        ("La Liga 2023-2024 season", []),
    ],
)
def test_identifiers_and_phone_words_of_a_sixth_round_of_languages(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a card in brackets; a card starts its run of digits, a parcel's number holds none
        ("Card on file (4375841629101342) belongs to Samba", [("CREDIT_CARD", "4375841629101342")]),
        ("Card on file (4308 0593 6016 7) belongs to X", [("CREDIT_CARD", "4308 0593 6016 7")]),
        ("Colis 6420 6420 3250 3251, poids 52 kg", []),
        ("Colis 0957 0957 5880 5881, poids 5 kg", []),
        # an order's label before a trunk-0 number that is the whole run stays a phone
        ("Cher, call Landry about the crawfish order: 032 700 915", [("PHONE_NUMBER", "032 700 915")]),
        # a section's sign before four dotted numbers
        ("See § 3.32.70.3 of the tender", []),
        # Persian "contact" after the number, a chat's "call me" in Latin letters
        ("لطفا با 99373908 تماس بگیرید", [("PHONE_NUMBER", "99373908")]),
        ("Mrahba Marouen, ech-chay jahez, kellemni 394 31 29", [("PHONE_NUMBER", "394 31 29")]),
    ],
)
def test_cards_identifiers_and_phone_words_of_a_seventh_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a long Maestro grouped as printed, beside the word for a card; Troy's 9792
        ("Kart 5018 0079 01983 ilə ödəniş uğurludur", [("CREDIT_CARD", "5018 0079 01983")]),
        ("kortnummar 9792163198356734 er stongt", [("CREDIT_CARD", "9792163198356734")]),
        # a German compound that names a number, an amount in guaraníes, a meter's OBIS code, a package's version
        ("Vorgangsnummer 123-4567890", []),
        ("Total Gs. 123.456.789, factura", []),
        ("Zählerstand OBIS 1-0:1.8.0.255 = 12345678 kWh", []),
        ("paket 1.23.45.678 quraşdırıldı", []),
        # German "call me", Romanian "call"
        ("Hallo Pepe, ruf mich bitte unter 6291-6969 zurück", [("PHONE_NUMBER", "6291-6969")]),
    ],
)
def test_cards_identifiers_and_phone_words_of_an_eighth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # cards in fours with dots or slashes, the rest run together beside a card word, UATP's 1, Chinese card words
        ("Card 4111.1122.3344.5569 was declined", [("CREDIT_CARD", "4111.1122.3344.5569")]),
        ("tarjeta 6212/8888/7777/6666557 bloqueada", [("CREDIT_CARD", "6212/8888/7777/6666557")]),
        ("Tarjeta 1002 3456 7890128 a nombre de", [("CREDIT_CARD", "1002 3456 7890128")]),
        ("您的银行卡4111/1122/3344/5569已激活", [("CREDIT_CARD", "4111/1122/3344/5569")]),
        # a "+" right after a hyphen starts a phone; Spanish "dial", Luganda, Kinyarwanda, Filipino "CP No."
        ("PKG-+250 788 122 331,box", [("PHONE_NUMBER", "+250 788 122 331")]),
        ("¿me marcás al 6384-6531?", [("PHONE_NUMBER", "6384-6531")]),
        ("tukubire ku 774 5120", [("PHONE_NUMBER", "774 5120")]),
        ("hamagara kuri 0788 412 339", [("PHONE_NUMBER", "0788 412 339")]),
        ("CP No.: 7728756", [("PHONE_NUMBER", "7728756")]),
        # no phone: a version's dots, a coordinate's decimal, a failed IBAN's digits, one number in fours
        ("firmware 4.71.27.763 installed", []),
        ("Suva -18.1416 178.4419002", []),
        ("Douane partij BE50 4317 6563 7322", []),
        ("Pallet 3122 0108 3243 7385 in bay 3", []),
        ("lot 3122 0108 3243 7385 4410", []),
        # what stays a phone: French pairs, a "+" with groups of three, a NANP shape after "order"
        ("appelle au 01 23 45 67 89", [("PHONE_NUMBER", "01 23 45 67 89")]),
        ("+351 912 345 678", [("PHONE_NUMBER", "+351 912 345 678")]),
        ("call about the order: 876-421-1080", [("PHONE_NUMBER", "876-421-1080")]),
    ],
)
def test_cards_phones_and_negatives_of_a_ninth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a payment's control number, a firm's number in Japanese: identifiers
        ("GePG control number 991234567890", []),
        ("Hōjin bangō 4011001039812 (Kabushiki Kaisha)", []),
        # Ecuadorian Spanish, Oshiwambo (whose "po" is no purchase order), Sranan, Shona, Slovenian
        ("Ñaño Lucho, timbrame al 658-3079", [("PHONE_NUMBER", "658-3079")]),
        ("ndi ingila po 6070-2126", [("PHONE_NUMBER", "6070-2126")]),
        ("kari mi na 081-6362042", [("PHONE_NUMBER", "081-6362042")]),
        ("ndifonere pa 35628665", [("PHONE_NUMBER", "35628665")]),
        ("Pokliči me na 041 234 567", [("PHONE_NUMBER", "041 234 567")]),
    ],
)
def test_identifiers_and_phone_words_of_a_tenth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # beside a card's word: halves of eight, the issuer's six digits apart, fours two spaces apart; Greek
        ("Κάρτα 41111122 22333347, κάτοχος", [("CREDIT_CARD", "41111122 22333347")]),
        ("tarjeta 411111 2222333347 bloqueada", [("CREDIT_CARD", "411111 2222333347")]),
        ("card 4111  1122  2233  3347 ok", [("CREDIT_CARD", "4111  1122  2233  3347")]),
        # in a short form the card's noun may stand a line above
        ("Titular de la tarjeta: ANA RUIZ\nNúmero: 358901 2976821775", [("CREDIT_CARD", "358901 2976821775")]),
        # French, Basque, Greek, Haitian Creole words for a call; pairs with dots after one are a phone, no IP
        ("tu peux m'appeler au 77.36.84 demain", [("PHONE_NUMBER", "77.36.84")]),
        ("deitu iezadazu 5310-1395 zenbakira", [("PHONE_NUMBER", "5310-1395")]),
        ("πάρε με στο 6335 4877", [("PHONE_NUMBER", "6335 4877")]),
        ("rele m nan 89.10.56.61 aswè a", [("PHONE_NUMBER", "89.10.56.61")]),
        ("server at 89.10.56.61 is down", [("IP_ADDRESS", "89.10.56.61")]),
    ],
)
def test_cards_and_phones_of_an_eleventh_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Italian "carta", UATP's own name; an LDAP entry's phone attribute; Turkmen, Somali, Papiamento words
        ("Carta [6759.8217.3701.4996.028] intestata a Laisani", [("CREDIT_CARD", "6759.8217.3701.4996.028")]),
        ("UATP 1234 56789 012347 booked by Esala", [("CREDIT_CARD", "1234 56789 012347")]),
        ("telephoneNumber: 9787 0155", [("PHONE_NUMBER", "9787 0155")]),
        ("maňa 640-5620 belgä jaň et", [("PHONE_NUMBER", "640-5620")]),
        ("telefoonka 775-0733 iga soo garaac", [("PHONE_NUMBER", "775-0733")]),
        ("Yama mi na 5123-4567", [("PHONE_NUMBER", "5123-4567")]),
        # a failed IBAN's groups after its head, a place's coordinates: no phone
        ("Codice fornitore IT60 X054 2811 1010 0000 1234 567", []),
        ("Aden 12.7855 45.0187", []),
    ],
)
def test_cards_phones_and_negatives_of_a_twelfth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # fours joined by underscores, read whole as a card; underscores elsewhere make no number
        ("Card ending in 4623_4765_0920_8501 was declined", [("CREDIT_CARD", "4623_4765_0920_8501")]),
        ("backup_2024_06_12.tar and file_4155550134", []),
        # Finnish, Romanian and Traditional Chinese card words beside a card's unusual grouping
        ("Kortti 37294504525 4923 — haltija", [("CREDIT_CARD", "37294504525 4923")]),
        ("Plată cu cardul 250032005906 4520", [("CREDIT_CARD", "250032005906 4520")]),
        # five or six digits right after a call's words (a small island's whole number); not after "number"
        ("Kia ora, waea mai ki 50 067", [("PHONE_NUMBER", "50 067")]),
        ("曹先生，請回電 90 3970", [("PHONE_NUMBER", "90 3970")]),
        ("Iakwe, kall eō ilo 9733 9797", [("PHONE_NUMBER", "9733 9797")]),
        ("the number 12 345 is odd", []),
        ("contact us at 12 345 Main St", []),
        # a parcel's number in Traditional characters is an identifier
        ("包裹編號 0104340328", []),
    ],
)
def test_cards_phones_and_negatives_of_a_thirteenth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # the words for a number or a call in Bambara, Somali, Greek in Latin letters, Tunisian, Pular, French
        ("I ni ce, n ka nimero ye 97 596792 ye", [("PHONE_NUMBER", "97 596792")]),
        ("taleefooni 7657 7568", [("PHONE_NUMBER", "7657 7568")]),
        ("pare me tilefono sto 91 003861", [("PHONE_NUMBER", "91 003861")]),
        ("raqmi jdid: 54909823", [("PHONE_NUMBER", "54909823")]),
        ("joignable au 7524 5193", [("PHONE_NUMBER", "7524 5193")]),
        ("collect with the code texted to 57351406", [("PHONE_NUMBER", "57351406")]),
        # a failed IBAN's first groups are no IBAN, even where they pass mod-97 by chance; a whole one is
        ("Réf. dossier TN72 8951 1022 0506 8019 8951", []),
        ("IBAN TN59 1000 6035 1835 9847 8831", [("IBAN_CODE", "TN59 1000 6035 1835 9847 8831")]),
    ],
)
def test_phones_and_ibans_of_a_fourteenth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # fours parted by en dashes; the Persian word for a card beside the issuer's six digits apart
        ("Reembolso a la tarjeta 6062 – 8463 – 1818 – 8255 aprobado", [("CREDIT_CARD", "6062 – 8463 – 1818 – 8255")]),
        ("خانم نیلوفز، کارت 606244 5368988118 شما مسدود شد", [("CREDIT_CARD", "606244 5368988118")]),
        # Spanish "teléfono", Tigrinya, Kriol, Monégasque and Persian words for a phone or a number
        ("Teléfono de contacto: 997 3232", [("PHONE_NUMBER", "997 3232")]),
        ("dewlili ab 986 1989", [("PHONE_NUMBER", "986 1989")]),
        ("nha numeru i 989 5488", [("PHONE_NUMBER", "989 5488")]),
        ("شماره جدیدم 982 3713 است", [("PHONE_NUMBER", "982 3713")]),
        ("شماره سفارش 50405651، مبلغ 167 تومان", []),  # (an order's number: "شماره" alone is any number)
        # a permit's number in a North American phone's shape whose exchange no phone has; a phone's is still one
        ("Permit 441-199-2671 issued", []),
        ("the crawfish order: 876-421-1080", [("PHONE_NUMBER", "876-421-1080")]),
        ("the crawfish order: 069 176 4896", [("PHONE_NUMBER", "069 176 4896")]),
        ("call 441-199-2671 now", [("PHONE_NUMBER", "441-199-2671")]),
        # a warranty's code after its word, a statute's article in an IP address's shape
        ("Garantía 0071 0725 5893 0311 válida", []),
        ("Artículo 3.93.46.4 del reglamento", []),
    ],
)
def test_cards_phones_and_negatives_of_a_fifteenth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


def test_a_decimals_pair_is_no_phone_unless_a_phones_label_comes_first():
    # a lone 0 before a dot is a decimal's integer part ("all values 0.9118 / 0.9265" beside the word "phone")
    assert found("all values 0.9118 / 0.9265, phone numbers 0.9486 x") == []
    assert [(k, s) for k, s, _ in found("Tel 0.800.123.456")] == [("PHONE_NUMBER", "0.800.123.456")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a card's fours parted by the narrow no-break space of French and Swiss typography, or by a thin space
        (
            "Paiement par carte 4389\u202f3573\u202f6293\u202f8216 refusé",
            [("CREDIT_CARD", "4389\u202f3573\u202f6293\u202f8216")],
        ),
        ("carta 6011\u20097101\u20092011\u20092477", [("CREDIT_CARD", "6011\u20097101\u20092011\u20092477")]),
        ("Tél. +41\u202f79\u202f555\u202f01\u202f23", [("PHONE_NUMBER", "+41\u202f79\u202f555\u202f01\u202f23")]),
        # an amount grouped so is none
        ("Total 12\u202f450,00 €", []),
        # an airline's UATP card in its 4-5-6 grouping; Arabic's card with a possessive, Persian's with "my"
        ("the fare went on 1159 18483 611799 today", [("CREDIT_CARD", "1159 18483 611799")]),
        ("بطاقتك 1159-18483-611799 انقفلت", [("CREDIT_CARD", "1159-18483-611799")]),
        ("کارتم 4389 3573 6293 82165 مسدود شد", [("CREDIT_CARD", "4389 3573 6293 82165")]),
        # a local number of seven digits written three and four after a word, where the clause ends
        ("Rendez-vous avec elle, portable 888 7696", [("PHONE_NUMBER", "888 7696")]),
        ("Natel: 777-2369", [("PHONE_NUMBER", "777-2369")]),
        ("Llame al 555-0199 hoy", [("PHONE_NUMBER", "555-0199")]),
        # not after an identifier's noun a word before, not one starting with 0 or 1, not in the middle of a clause
        ("The room code is 555-0199 and the wifi is guest.", []),
        ("Größe 123 4567", []),
        ("Beträgt 823 4567 Franken", []),
        # identifiers: a rule's paragraph, Brazil's firm number, a remittance's number after "nº" (a phone's label
        # still says phone), a reference in German, a payment slip's line
        ("Regra 7.10.71.1 do regulamento", []),
        ("CNPJ 40.975.975/0001-21 da transportadora", []),
        ("Remessa nº 0599 896 27 04", []),
        ("Tel. nº 0599 896 27 04", [("PHONE_NUMBER", "0599 896 27 04")]),
        ("Referenz 21 60570 08120 60507 08123 60510", []),
        ("Linha digitável 23790.47796 09740.477496 09741.477419 4 09740000047796", []),
    ],
)
def test_typeset_spaces_and_local_numbers_of_a_sixteenth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the ideographic space between a card's fours; Vietnam's NAPAS cards; Korean's and Vietnamese's card words
        ("卡号 9704\u30009513\u30008971\u30007525", [("CREDIT_CARD", "9704\u30009513\u30008971\u30007525")]),
        ("Thanh toán thẻ 9704 - 0177 - 8802 - 9548 bị từ chối", [("CREDIT_CARD", "9704 - 0177 - 8802 - 9548")]),
        ("Thanh toán thẻ 3431.913569.45793 bị từ chối", [("CREDIT_CARD", "3431.913569.45793")]),
        ("결제하신 카드 6269 0967 8287 8921397 승인되었습니다", [("CREDIT_CARD", "6269 0967 8287 8921397")]),
        # "00" and a country code apart from a five-digit number (the Falklands); a gift card's code is none
        ("제 번호 바뀌었어요 00500 50026", [("PHONE_NUMBER", "00500 50026")]),
        ("ギフトカード 0050\u30000110\u30008202\u30003222", []),
        # Samoan, Chamorro and Guernésiais calls, Korean's "contact"
        ("fa'amolemole vala'au mai i le 83 21 63", [("PHONE_NUMBER", "83 21 63")]),
        ("Ågang yo' gi 72 76 35", [("PHONE_NUMBER", "72 76 35")]),
        ("Bouonjour, crie-mé au 72 05 98", [("PHONE_NUMBER", "72 05 98")]),
        ("성명: 김태주 / 연락처: 72 00 75", [("PHONE_NUMBER", "72 00 75")]),
        # identifiers: a Korean waybill and business number, Vietnam's tax code, an amount in dong
        ("택배 운송장 010-4821-93751", []),
        ("사업자등록번호 853-82-46312", []),
        ("Mã số thuế 4093587332-001", []),
        ("89.938.000 ₫ đã thanh toán, đơn 49562570", []),
    ],
)
def test_cards_phones_and_negatives_of_a_seventeenth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the plans whose numbers are four digits long (Tokelau, Niue, Saint Helena and Tristan): with "+", bare or
        # grouped; with "00" the country code apart, not after an identifier's noun
        ("Celular: +690 7455", [("PHONE_NUMBER", "+690 7455")]),
        ("+683 4002", [("PHONE_NUMBER", "+683 4002")]),
        ("Tristan post office +290-8123, ask for Mary", [("PHONE_NUMBER", "+290-8123")]),
        ("+6907290", [("PHONE_NUMBER", "+6907290")]),
        ("callback 00690 7214", [("PHONE_NUMBER", "00690 7214")]),
        ("Order 00683 4002", []),
        ("+6912345", []),  # a country code of no four-digit plan
        # New Caledonia's pairs after the country code are no date
        ("Tel +687 28.45.67", [("PHONE_NUMBER", "+687 28.45.67")]),
        ("Livraison le 20.12.34", []),
        # "my number" before five or six digits at a clause's end; not an order's number, not mid-clause
        ("my number is 62889", [("PHONE_NUMBER", "62889")]),
        ("My new number: 21 234.", [("PHONE_NUMBER", "21 234")]),
        ("my order number is 62889", []),
        ("my number is 12345 in the queue", []),
        # a card's word in Bambara and Dioula, Swahili, Hindi and Thai; the issuer's six digits or the last four apart
        ("i ka wari sara kariti 431275535063 3115 la", [("CREDIT_CARD", "431275535063 3115")]),
        ("i ka wari sara kariti 506132 1429738871326 la", [("CREDIT_CARD", "506132 1429738871326")]),
        ("Nambari ya kadi 6304 9506 0000 0000 00", [("CREDIT_CARD", "6304 9506 0000 0000 00")]),
        ("बैंक कार्ड 6759 6498 2643 8453", [("CREDIT_CARD", "6759 6498 2643 8453")]),
        ("หมายเลขบัตร 5018 7625 1213", [("CREDIT_CARD", "5018 7625 1213")]),
        ("494580 7302157365", [("CREDIT_CARD", "494580 7302157365")]),
        ("ref 494580 7302157365", []),  # an identifier's noun before it, no card word
        ("494580 7302157366", [("PHONE_NUMBER", "7302157366")]),  # Luhn fails: no card (ten digits of a plan)
    ],
)
def test_short_plans_my_number_and_card_words_of_an_eighteenth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a SIP URI's user part in digits is the caller's number, not an address's local part
        ('From: "Eva" <sip:+590 590 27 81 14@voip.example.net>', [("PHONE_NUMBER", "+590 590 27 81 14")]),
        ("sip:+4779745560@voip.example.net;tag=9", [("PHONE_NUMBER", "+4779745560")]),
        ("sip:alice@example.com", [("EMAIL_ADDRESS", "alice@example.com")]),
        ("sip:1234@pbx.example.com", [("EMAIL_ADDRESS", "1234@pbx.example.com")]),  # an extension: too short
        ("write to 4779745560@example.com", [("EMAIL_ADDRESS", "4779745560@example.com")]),
        # "00" and a four-digit plan's country code apart, with no word; Haitian Creole's card
        ("Recapito: 00290 8221", [("PHONE_NUMBER", "00290 8221")]),
        (
            "Marjana,mh@example.com,00290 8622,Cocos",
            [("EMAIL_ADDRESS", "mh@example.com"), ("PHONE_NUMBER", "00290 8622")],
        ),
        ("Bonjou Nighat, kat la 35478722 11836495 sé bon", [("CREDIT_CARD", "35478722 11836495")]),
    ],
)
def test_sip_callers_and_cards_of_a_nineteenth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the dashes a word processor puts for a hyphen; national schemes' prefixes (Belkart, ArCa, UzCard, Humo,
        # DinaCard); the Nordic card's definite forms
        ("Kortnummer: 4046\u20117900\u20110661\u20118817", [("CREDIT_CARD", "4046\u20117900\u20110661\u20118817")]),
        ("Kortnummer: 9112\u20072757\u20074251\u20079287", [("CREDIT_CARD", "9112\u20072757\u20074251\u20079287")]),
        ("Kortnummeret er 9051\u20094388\u20095741\u20091699", [("CREDIT_CARD", "9051\u20094388\u20095741\u20091699")]),
        ("Refusjon til kortet 8600 3254 3666 2512", [("CREDIT_CARD", "8600 3254 3666 2512")]),
        ("call +47\u2011915\u201112\u2011345", [("PHONE_NUMBER", "+47\u2011915\u201112\u2011345")]),
        # Norway's KID payment reference, a terminal's software in Nynorsk
        ("KID 15181518346 må vere med på betalinga", []),
        ("KID 08530853559", []),
        ("Iridium-terminalen fekk programvare 15.73.165.3", []),
    ],
)
def test_dashes_schemes_and_nordic_references_of_a_twentieth_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an international number broken over a line after its country code and a group; a card's fours broken
        # after two of them, beside a card word; not two lines of a table
        ("the driver is on +976 9517\n1924", [("PHONE_NUMBER", "+976 9517\n1924")]),
        ("Мой нумар тэлефона +375 17\n124-48-96", [("PHONE_NUMBER", "+375 17\n124-48-96")]),
        ("Platba kartou 5243 5654\n0562 7215 prebehla", [("CREDIT_CARD", "5243 5654\n0562 7215")]),
        ("Table\n1234 5678\n9012 3456", []),
        # a chat link's number, Russia's access code with the tilde, a trunk 8 before a bracketed area code whose
        # pairs look like a date, pairs that cannot be a date
        # (the link is a URL too: overlaps are settled later, the phone's score the higher)
        (
            "WhatsApp: https://wa.me/97694394789 (ask for Ana)",
            [("URL", "https://wa.me/97694394789"), ("PHONE_NUMBER", "97694394789")],
        ),
        ("https://example.com/?page=2&number=1234567", [("URL", "https://example.com/?page=2&number=1234567")]),
        ("dial 8~10 976 11 02 9058 for the camp", [("PHONE_NUMBER", "8~10 976 11 02 9058")]),
        ("call about the range 12345~67890", []),  # no other tilde joins digits
        ("Тэлефануйце па нумары 8 (0162) 21-02-23", [("PHONE_NUMBER", "8 (0162) 21-02-23")]),
        ("call (011) 19-25-96 before you set off", [("PHONE_NUMBER", "(011) 19-25-96")]),
        ("on 05-06-24 we shipped it", []),
        # a thirteen-digit Visa in 4-3-3-3 beside a card word; a club card's number that fails Luhn is no phone
        ("Нумар карткі 4151 968 228 897, уладальнік", [("CREDIT_CARD", "4151 968 228 897")]),
        ("Klubová karta 8803 175 020 066", []),
        ("Klubová karta 0922 981 092 098", []),  # nor any part of it
        ("Card on file, call 0207 946 0958 12", [("PHONE_NUMBER", "0207 946 0958 12")]),
        ("Хувилбар 83.91.106.4", []),
    ],
)
def test_broken_lines_links_and_club_cards_of_a_twenty_first_round(text, expected):
    assert [(kind, span) for kind, span, _ in found(text)] == expected
