"""The words around a number that say what it is, in many languages: a phone's labels and a call's words, a
card's noun and a payment's words, an SSN's, an identifier's nouns (an order's, a parcel's, a firm's), a version's
word before dotted numbers, a count's unit after. :mod:`flyloop.privacy.pii_numbers` reads a number's digits and
weighs these around them; kept apart so that each module stays readable."""

from __future__ import annotations

import re

# a version's, an object identifier's or a section's word before dotted numbers: no IP ("SNMP OID 1.3.6.1") and no phone
# ("firmware 4.71.27.763")
VERSION_WORD = re.compile(
    r"(?:version|release|build|firmware|kernel|v|oid|snmp|mib|arc|§|section|clause|article|art\.|paket|"
    # software and firmware in other languages (Norwegian, Swedish, Danish, Finnish, French, German, Dutch)
    r"software|programvare|programvara|programmel|fastvare|ohjelmisto|logiciel|micrologiciel|versjon|versjonen|"
    # version in Mongolian, Russian, Ukrainian, Slovak, Czech, Icelandic and Moldovan in Cyrillic letters
    r"хувилбар|версия|версія|verzia|verze|útgáfa|версиуне|версиуня|"
    # a rule's or a regulation's numbered paragraph ("Regra 7.10.71.1 do regulamento")
    r"rule|regra|regla|règle|regel|regola|norma|"
    r"artículo|articulo|artigo|articolo|artikel|"
    r"obis[ \t]+[\d-]+:)[ :]*$",
    re.I,
)
_PHONE_CONTEXT = re.compile(
    r"\b(?:phone|telephone|tel|cell|cellphone|mobile|mob|call|calls|calling|called|text|sms|"
    r"whatsapp|signal|telegram|fax|number|reach|contact|dial|ring|landline|hotline|callback|"
    r"telefon|t[ée]l[ée]phone|handy|m[óo]vil|cellulare|celular|ph|tlf|telp|tlp|puhelin|simu|"
    r"τηλ|τηλέφωνο|κινητό|тел|телефон|моб|мобильный|फ़ोन|फोन|मोबाइल|ফোন|மொபைல்|தொலைபேசி|điện thoại|sđt|"
    # Icelandic, Swahili, Zulu words for a phone or a call; a mobile-money number's key
    r"sími|símanúmer|simu|namba ya simu|piga|usishayele|shayela|ucingo|msisdn|telefononi|tālr|tālrunis|tālruņa|"
    r"skambinkite|helistage|nazovite|позовите|"
    # Lithuanian, Latvian, Estonian, Finnish and Hungarian "call (me)", "call back"
    r"paskambink|paskambinkite|paskambinti|perskambink|perskambinkite|perskambinti|skambink|skambinti|"
    r"zvani|zvaniet|piezvani|piezvaniet|atzvani|atzvaniet|helista|helistada|soita|soittakaa|soittaa|"
    r"hívj|hívjon|hívjatok|hívjál|"
    # Chilean, Indonesian, Czech and Slovak, Tagalog, Armenian (in Latin letters) words for a phone or a call
    r"fono|celu|hubungi|dihubungi|zavolej|zavolejte|volejte|zavolajte|tawagan|pakitawagan|tumawag|zangahari|"
    r"zangaharel|zangahareq|"
    # Kazakh, Ukrainian and Russian, Mauritian Creole, Wolof, Azerbaijani
    r"байланыс|телефоны|набери|наберіть|зателефонуй|зателефонуйте|подзвони|подзвоніть|позвоните|apel|woolal|"
    r"zəng|ruf|rufen|anrufen|javi|javite|sunați|sunati|oddzwoń|oddzwon|zadzwoń|zadzwon|ehenói|"
    # Portuguese, Cape Verdean, Luxembourgish
    r"ligue|ligar|liga-m|telemóvel|telemovel|chamada|ruff|urufft|"
    # Spanish "dial", Tongan and Albanian, Luganda, Kinyarwanda, Greenlandic, Lao in Latin letters ("call to"),
    # Filipino "CP No." (cellphone)
    r"marca|marcá|marcás|marcame|márcame|marcar|marcanos|telefoni|tukubire|tukubira|mukubire|hamagara|hamagare|"
    r"sianer\w*|tho ha|cp no|"
    # Ecuadorian and Central American Spanish, Shona, Chichewa, Oshiwambo, Sranan, Guyanese Creole, Pijin,
    # Slovenian, Gulf Arabic in Latin letters: "ring me", "call me", "my number"
    r"timbrame|timbrar|llamame|llámame|llámanos|llame|llámenos|llamenos|llama al|"
    r"número|ndifonere|ndiyimbireni|ndiyimbire|ingila po|kari mi|"
    r"kaal mi|ringim|pokliči|poklici|pokličite|ittasil|itasil|"
    # Marshallese, Māori, Taiwanese Hokkien (Pe̍h-ōe-jī), Krio, Cantonese (romanized): "call me", "phone"
    r"kall eō|kall eo|waea|tiān-uē|tian-ue|kol mi|daa bei ngo|dinwaa|din waa|"
    # Réunion Creole, Bambara and Zarma "number", Somali "phone", Greek in Latin letters, Lingala, Jèrriais, Tunisian
    # "my number", Pular, French "reachable", English "texted"
    r"nimero|taleefooni|taleefoon|tilefono|tilefwno|benga ngai|app'lez|raqmi|noddu|joignable|texted|"
    # Spanish "teléfono", Tigrinya in Latin letters, Forro and Kriol, Monégasque, Persian "number"
    r"tel[ée]fono|dewlili|liga-mu|numeru|ciamame|"
    # French, Galician, Catalan, Basque, Tetum, Spanish "missed call" and Bizum (a payment by phone number), Greek,
    # Haitian Creole, Tahitian, Ewe, Fon, Malagasy, Mooré, Gilbertese, Sesotho
    r"appeler|appelle|appelez|rappeler|rappelle|rappelez|chámame|chamar|truca|truca'm|trucar|deitu|telefone|"
    r"llamada|llamar|bizum|πάρε|πάρε με|rele|niuniu|ƒo ka|ylɔ|antsoy|bool-m|taetae|letsetsa|ntšebelisa|"
    # Turkmen, Somali, Papiamento, Dhivehi, Pohnpeian, Aymara, Kirundi, Palauan, Fijian, Quechua, Kimbundu, Bahamian,
    # Kuwaiti chat ("dig 9alay"), an LDAP entry's attribute ("telephoneNumber:")
    r"jaň|belgä|telefoonka|telefoon|yama mi|gulhaalaa|kahlingan|jawsañamawa|nterefona|mengetengui|qiri mai|"
    r"waqyamuway|isana ku|holla|dig 3alay|tírame|tirame|telephonenumber|"
    # Persian and Arabic, and their chat spellings in Latin letters (Darija, Lebanese, Persian); Somali
    r"تماس|تلفن|موبایل|همراه|هاتف|جوال|للاستفسار|اتصل|tamas|kellemni|kalemni|kallemni|3ayetli|3ayatli|tehkine|wac|"
    # Samoan, Chamorro, Guernésiais and Sercquiais "call"; Korean "contact", "phone", "phone number", "mobile";
    # Japanese "phone number", "mobile" ("번호" alone is any number)
    # Tok Pisin's and Bislama's "my number"; Mauritian and Seychellois Creole's "phone"
    r"namba bilong mi|namba blong mi|telefonn|"
    # a switchboard in English and Italian; "contact" in the Nordic languages, German, Polish and Czech
    r"switchboard|centralino|kontakt|"
    # Sesotho's "phone", Afrikaans "cell"
    r"founo|selfoon|"
    r"vala'au|valaau|ågang|agang|crie-mé|crie-me|연락처|전화|전화번호|휴대폰|핸드폰|電話番号|携帯)\b"
    # a telephone's sign or emoji, which a signature or a chat writes for the word ("📞 26 306", "☎️ 424 4170")
    r"|[☎☏✆📞📱📲📠]"
    # Chinese, where no space or word boundary sets a word apart
    r"|电话|電話|手机|手機|致电|致電|回电|回電|来电|來電"
    # Persian "my (new) number", "contact number", "mobile number" ("شماره" alone is any number: "شماره سفارش")
    r"|شماره جدیدم|شماره‌ام|شمارم|شماره من|شماره تماس|شماره موبایل|شماره همراه",
    re.I,
)
# The card's own noun in many languages (English; Nordic; German; Ukrainian, Russian, Polish, Czech; Spanish,
# Portuguese, French, Italian; Dutch, Indonesian; Greek; Chinese, Japanese and Korean, written with no word boundary:
# "您的银行卡6011..."), which may stand farther off in a short form ("Titular de la tarjeta: ...\nNúmero: ...")
_CARD_NOUNS = (
    r"card|kortnummar|kortnummer|kortnummeret|kortnumret|kortet|kortets|kartennummer|karteninhaber|kart|karte|kreditkarte|картка|картки|карта|карты|"
    # Afrikaans and Dutch card numbers ("u kaartnommer")
    r"kaartnommer|kaartnummer|"
    r"kortti|kortin|korttia|korttinumero|cardul|cardului|کارت|کارتم|کارتت|کارتش|کارتتان|"
    # Arabic's card with the article, a clitic before it ("ببطاقة", "وبطاقتي") and a possessive after ("بطاقتك")
    r"[وفبل]?(?:ال)?بطاق(?:ة|ات|ت[يكهنم]\w{0,2})|"
    r"картой|kartka|karta|karty|tarjeta|cartão|cartao|carte|carta|kaart|kartu|κάρτα|κάρτας|καρτα|uatp|thẻ|"
    # the card's word as African languages and Creoles took it from French or English (Bambara and Dioula, Swahili
    # and Luganda, Hausa, Yoruba, Zulu and Xhosa, Malagasy, Kinyarwanda, Somali, Haitian), Tagalog's, Hindi's, Urdu's,
    # Bengali's, Hebrew's and Amharic's
    # the card's cases in Czech and Slovak, Belarusian and Ukrainian, and Mongolian's card and "card's"
    r"kartou|kartu|kartě|karte|карткі|картку|карткай|картою|карт|картын|"
    r"kariti|karti|kadi|katin|kaadi|ikhadi|karatra|ikarita|kaarka|kard|kat|कार्ड|کارڈ|কার্ড|כרטיס|ካርድ"
)
_CARD_CJK = r"บัตร|银行卡|信用卡|储蓄卡|借记卡|卡号|銀行卡|儲蓄卡|借記卡|金融卡|簽帳卡|卡號|カード番号|카드"
_CARD_NOUN = re.compile(rf"\b(?:{_CARD_NOUNS})\b|{_CARD_CJK}", re.I)
# ... and the words of paying with one
_CARD_CONTEXT = re.compile(
    r"\b(?:cc|credit|debit|visa|master ?card|amex|american express|discover|diners|jcb|maestro|unionpay|payment|emv|"
    r"pay|paid|pan|cvv|expires?|expiry|charged?|charges|declined|checkout|purchase|billing|billed|refund|refunded|"
    rf"{_CARD_NOUNS})\b|{_CARD_CJK}",
    re.I,
)
_SSN_CONTEXT = re.compile(
    r"\b(?:ssn|ss#|ss no|social security|social|tax ?id|tin|itin|taxpayer|"
    r"s[ée]curit[ée] sociale|seguro social|seguridad social|sozialversicherung\w*|previdenza sociale)\b",
    re.I,
)
# Words before a bare number that say it is an identifier of something, not a phone number.
_ID_WORDS = (
    r"order|ordre|invoice|ticket|expediente|tracking|track|id|ids|ref|reference|account|acct|serial|sku|po|confirmation|"
    r"transaction|txn|isbn|case|item|part|batch|lot|build|version|model|product|member|policy|claim|booking|"
    r"reservation|registration|license|licence|vin|patent|customer|zip|postcode|code|pin|otp|"
    r"parcel|package|shipment|consignment|waybill|awb|container|pallet|meter|reading|till|paybill|challan|rēķins|permit|"
    r"warranty|guarantee|garantía|garantia|garantie|"
    # a payment's control number (Tanzania's GePG), a firm's number in Japanese ("hōjin bangō")
    r"control|bangō|bango|"
    r"račun|рачун|sąskaita|arve|"
    # Lithuanian and Latvian order, parcel and customer nouns (in the genitive before "number")
    r"užsakymo|užsakymas|siuntos|kliento|pasūtījuma|pasūtījums|sūtījuma|klienta|"
    # the same in other languages: order, invoice, receipt, tracking, parcel, customer number
    r"resi|pesanan|faktur|tagihan|pedido|factura|fattura|ordine|commande|facture|bestellung|bestellnummer|"
    r"rechnung|sendung|zamówienia|zamówienie|faktura|zakázky|objednávky|заказ|заказа|замовлення|счёт|рахунок|"
    r"παραγγελίας|παραγγελία|τιμολόγιο|αρ|ऑर्डर|चालान|คำสั่งซื้อ|พัสดุ|เลขพัสดุ|sipariş|fatura|kargo|folio|фактура|"
    # a payment's reference and a firm's or a taxpayer's number (Czech and Slovak "variabilní symbol", IČO,
    # DIČ; Chile's RUT and "boleta"; Indonesia's NPWP)
    r"symbol|symbolu|ičo|dič|ico|dic|rut|boleta|npwp|"
    # firms' and taxpayers' numbers elsewhere (France's SIREN and SIRET, Kazakhstan's BIN and IIN, Russia's INN and
    # OGRN, Ukraine's EDRPOU, VAT and GST numbers); a parcel's tracking in French
    r"siren|siret|tva|bin|iin|бин|иин|инн|огрн|кпп|єдрпоу|edrpou|vat|gst|gstin|abn|ein|tin|suivi|"
    # Brazil's firm and taxpayer numbers, a remittance, a reference in German and Dutch, a payment slip's line
    r"cnpj|cpf|remessa|referenz|referentie|digitável|digitavel|"
    # the Nordic payment references: Norway's KID (in capitals: "kid" is a child), Sweden's OCR, Denmark's FIK
    r"(?-i:KID)|kid-nummer|kidnummer|ocr|ocr-nummer|fik|betalingsreferanse|"
    # Vietnam's tax code and an order ("mã số thuế", "đơn")
    r"mã số thuế|mã số|mst|đơn hàng|đơn|"
    # a payment's reference and entity (Portugal's Multibanco), a lot, a barcode, a parcel in French
    r"refer[êe]ncia|entidade|lote|ean|ean-13|ean13|ean-8|upc|upc-a|gtin|barcode|colis|paket|krs|regon|"
    # Afrikaans file, case, reference, account, invoice and order
    r"lêer|leer|saak|verwysing|rekening|faktuur|bestelling|"
    # a German compound that names a number ("Vorgangsnummer", "Kundennummer"), Afrikaans ones ("lêernommer"); an
    # amount's currency before it
    r"\w+nummer|\w+nommer|gs|rp|₲|kč|zł|₹|₽|₺"
)
# A carrier's or a system's code in capitals between an identifier's noun and its number ("Resi JNE 7996...")
_ID_CODE = r"(?:[ \t]+(?-i:[A-Z]{2,5}\d{0,2}))?"
# An order, invoice or serial number's label in Chinese, Japanese and Korean (no word boundary there).
# (in Traditional characters too: "訂單編號", "包裹編號")
_ID_CJK = (
    "订单号|订单编号|单号|编号|发票号|流水号|訂單號|訂單編號|單號|編號|發票號|流水號|"
    "注文番号|伝票番号|주문번호|송장번호|운송장|송장|사업자등록번호|등록번호"
)
# "no" alone is a word in other languages ("Falar com Ana no 3185318280"): lowercase, it needs a stop.
_ID_CONTEXT = re.compile(
    rf"(?:\b(?:{_ID_WORDS})(?:[\s:.#-]*(?:number|nummer|nommer|num|no|nr|br|бр)\b)?{_ID_CODE}|{_ID_CJK}|(?-i:\b(?:No|NO|Nr|NR|nr)\b)|\bno[.:#]|№|\bn[°º]|"
    r"\b(?:number of|total|sum|"
    r"amount|balance|count|qty|quantity|timestamp|epoch|row|line|page|job|run|pid|uid|port|has|have|score|scores|"
    r"had|counted|lists|of|free|downloaded|tokens|bytes|times|entries|rows|events)\b|#)[\s:.#-]*$",
    re.I,
)

# Only an identifier's own noun right before ("parcel", "order no."), not "no", "of" or "has" alone
_ID_NOUN = re.compile(
    rf"\b(?:{_ID_WORDS})(?:[\s:.#-]*(?:(?:number|nummer|nommer|num|no|nr|br|бр)\b|n[°º]|№))?{_ID_CODE}[\s:.#-]*$", re.I
)

# A phone field's label right before a number ("Tel: 991", "phone 1270", "SĐT 997"), and the end of
# the clause right after it: there a short number (a service code, an extension) is a phone number too.
# the words for a phone in English and ~20 other languages
_PHONE_LABELS = tuple(
    """tel|tél|phone|telephone|mobile|cell|fax|hotline|call|dial|ext|sđt|telp|tlp|whatsapp|telefon|
telefone|teléfono|telefono|celular|handy|puhelin|τηλ|τηλέφωνο|κινητό|тел|телефон|моб|फ़ोन|फोन|
मोबाइल|ফোন|மொபைல்|தொலைபேசி|โทร|โทรศัพท์|điện thoại|simu|sími|msisdn|fono|cp no|ingila po|
telephonenumber|switchboard""".replace("\n", "").split("|")
)
# ... and a telephone's sign or emoji in its place (with the emoji's variation selector: "☎️"); no word boundary
_PHONE_SIGNS = "☎☏✆📞📱📲📠"
_PHONE_LABEL = re.compile(rf"(?:\b(?:{'|'.join(_PHONE_LABELS)})\.?|[{_PHONE_SIGNS}]\ufe0f?)[ \t]*:?[ \t]*$", re.I)
_PHONE_WORD = re.compile(rf"\b(?:{'|'.join(_PHONE_LABELS)})\b|[{_PHONE_SIGNS}]", re.I)
# The fewest substrings that every label of an ASCII text holds ("tel" is in "telp", "telefono"...); a text
# with other letters is tested against every label.
_PHONE_HINTS = tuple(
    label
    for label in _PHONE_LABELS
    if label.isascii() and not any(other != label and other in label for other in _PHONE_LABELS if other.isascii())
)
_CLAUSE_END = re.compile(r"[ \t]*(?:$|[\n,;)]|\.(?!\d)|[ \t](?:and|or)\b)", re.I)

# A call's or a phone's word and nothing but words after it, right before a number: there five or six digits (the
# whole number of a small island's plan, "kall eō ilo 77 688") are a phone number too. Not "number", "contact"
# or "text" alone, which name other things.
_CALL_BEFORE = re.compile(
    rf"(?:{_PHONE_CONTEXT.pattern})(?<!number)(?<!contact)(?<!text)(?<!número)[^\d\n.,;!?()#]{{0,24}}$", re.I
)
# "my number", whose noun alone names nothing else: "my new number is 62889"; in the Nordic languages, German and
# Dutch with any word between that is no identifier's ("Mit grønlandske nummer er 33 43 87"; not "mit medlemsnummer");
# the same in the Baltic languages, Polish, Czech and Slovak, the South Slavic languages, Spanish, Portuguese, Italian
# and French, and Indonesian's "my number" after the noun
_MY_NUMBER = re.compile(
    r"\b(?:my|our)(?:[ \t]+(?:new|mobile|cell|home|work|own))?[ \t]+number(?:[ \t]+is|:)?[ \t]*$"
    r"|\b(?:mit|mitt|min|mine|mein|meine|mijn|vores|vårt|vort|unser|unsere|ons|mano|mūsų|mans|mana|mūsu|minu|mu|"
    r"mój|moj|moje|můj|mé|môj|naš|nas|mi|mis|nuestro|meu|minha|nosso|mio|il mio|mon|notre)"
    rf"(?:[ \t]+(?!(?:{_ID_WORDS})\b)[^\W\d_]+)?"
    r"[ \t]+(?:nummer|telefonnummer|mobilnummer|handynummer|nr\.?|numeris|telefono numeris|numurs|tālruņa numurs|"
    r"number|numer|numer telefonu|číslo|broj|número|numero|numéro|telefon|telefonas|tālrunis)"
    r"(?:[ \t]+(?:er|är|ist|is|lyder|yra|ir|on|to|je|es|é|è|est|c'est)|:)?[ \t]*$"
    r"|\b(?:nomor|no\.?)[ \t]+(?:saya|aku|ku)(?:[ \t]+(?:baru|adalah))?[ \t]*:?[ \t]*$",
    re.I,
)
# a word and a space (a colon, a "to"), nothing that says amount or measure, right before a number
_WORD_BEFORE = re.compile(r"[^\W\d_][ \t]*:?[ \t]+$")
# an identifier's noun a word or two before ("the room code is 555-0199")
_ID_BEFORE = re.compile(rf"\b(?:{_ID_WORDS})\b[^\d\n.;]{{0,10}}$", re.I)
# A count, not a number to dial: "16594840610 bytes", "4155550134 rows".
_UNIT_AFTER = re.compile(
    r"[ \t]*(?:bytes|[kmgt]i?b|tokens|times|rows|entries|events|items|units|records|users|views|"
    r"downloads|ms|seconds|secs|minutes|hours|days|km|kg|lbs|words|lines|pages|files|kwh|mwh|wh|m3|%|"
    # an amount's currency after it ("89.938.000 ₫ đã thanh toán")
    r"vnd|vnđ|đ|đồng|eur|usd|gbp|krw|jpy|cny|rmb|yen|yuan)\b|[ \t]*[₫€£¥₩₹₽₺₴₦₱฿]",
    re.I,
)
