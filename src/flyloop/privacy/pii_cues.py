"""The words around a person's name that the name detector (:mod:`flyloop.privacy.pii_names`)
reads: honorifics, introductions, the capitalized words that follow an introduction without being
a name, and the verbs and phrases that say the word beside them is a person."""

from __future__ import annotations

import re

# (and Lithuanian's and Polish's "p." for "ponas"/"ponia", "pan"/"pani", in lowercase: "P." is an initial)
HONORIFIC = re.compile(
    r"\b(?:mr|mrs|ms|miss|mx|dr|prof|sir|dame|lady|lord|madam|madame|mme|mlle|herr|frau|sr|sra|"
    r"srta|dña|sig|sen|rep|gov|rev|fr|capt|col|gen|lt|sgt|officer|detective|nurse|coach|uncle|aunt|"
    r"auntie|grandma|grandpa|dra|pani|pan|dona|don|do[ñn]a|se[ñn]or|se[ñn]ora|signor|signora|monsieur|mevrouw|"
    r"meneer|mevr|dhr|mw|hr|fru|herra|rouva|sayın|bay|bayan|(?-i:p(?=\.)))\.?[ \t]+",
    re.I,
)
# Words after which the next word(s) are very likely a name, even in lowercase.
_INTRO = (
    # where a sentence puts a person ("thanks to ...", "signed for by ...", "loop in ...", "reply from
    # ..."); first, so that "thanks" or "signed" alone does not match in their place
    r"(?:\bthanks to|\bsigned for by|\bloop in|\b(?:reply|message|note|email|call) from|\bemergency contact:?|"
    r"\bon behalf of|\brefund (?:approved )?for|\bapproved for|\bverified for|\bwire to|\bbooking for|\b[sd]/o|"
    r"\bissued to|\bdeclined for|\bcharged for|\bpayout to|\btransfer to|\bopened by|\b(?:session )?opened for|"
    r"\b(?:parcel|package|delivery) for|\bby(?=[ \t]+(?-i:[A-Z])\w+[ \t]+from\b)|\bmaintainer[ \t]*[:=][ \t]*\"?|"
    r"\bmy name(?:'s| is)|\bname\s*[:=]|\b(?:given names?|first names?|forenames?|surnames?|last name|family name)"
    r"(?:[ \t]*/[ \t]*(?:given names?|first names?|forenames?|surnames?|last name|family name))?[ \t]*:|"
    r"\bi'?m|\bi am|\bthis is|\bcall me|\bdear|\bhi|\bhello|\bhey|"
    r"\bthanks,?|\bthank you,?|\bregards,|\bcheers,|\bsincerely,|\bbest,|\bsigned(?:,| by)?|\bask for|"
    r"\b(?:speak|spoke|talk|talked|spoken|speaking) (?:to|with)|\bcontact|\battn:?|\bcc:?|\bfrom:|\bto:|"
    r"\b(?:hola|ol[áa]|bonjour|salut|hallo|ciao|hej|merhaba|soy|je m'appelle|ich bin|sono|me llamo)\b,?|"
    r"\b(?:employee|cardholder|account holder|holder|beneficiary|payee|passenger|guest|tenant|landlord|"
    r"attendees?|candidate|new hire|applicant|sender|recipient|addressee)\b:?|"
    r"\bcustomer:|\buser:|\bvisitor:|\bcaller(?:[ \t-]?id| name)?:|\b(?:patient|paciente):?|\bclient:?|\bauthor:?|"
    r"\bassigned to|\bmarried to|"
    r"\bson of|"
    r"\bdaughter of|\bwife|\bhusband|\bboss|\bmanager|\bcolleague|\bfriend|\breviewer:|\bowner:|"
    r"\bassignee:|\breporter:|\brequester:|\b(?:approved|requested|signed|countersigned|co-signed|reviewed|written|"
    r"sent|submitted|added|taken|shared|uploaded|edited|booked|applied|started) by(?: user)?|\bbooked for|"
    r"\bapologies from|"
    r"\b(?:reviewed|signed-off|co-authored|acked|reported|tested|suggested)-by:)"
)
INTRO = re.compile(rf"{_INTRO}[ \t]*", re.I)
# The same with Cyrillic's, Vietnamese's and Turkish's, for a text that is not ASCII: a greeting or thanks
# before a comma, an address ("уважаемый"), a field label (kept out of INTRO, which every text is scanned with)
INTRO_ANY = re.compile(
    f"(?:{_INTRO}|"
    r"\b(?:здравствуй(?:те)?|привет|добрый (?:день|вечер)|доброе утро|спасибо|благодарю|уважаем(?:ый|ая)|"
    r"дорог(?:ой|ая))(?:,|(?=[ \t]+[А-ЯЁ]))|\b(?:ответственн(?:ый|ая)|отправитель|получатель|исполнитель|автор|"
    r"контактное лицо|фио|имя|от кого|кому|подписал(?:а)?)[ \t]*:|"
    # Vietnamese greetings and thanks (with the word for the one addressed) and field labels; Turkish labels
    r"\b(?:xin chào|chào|cảm ơn|cám ơn)(?: (?:anh|chị|em|bạn|ông|bà|cô|chú))?\b,?|"
    r"\b(?:người nhận|người gửi|họ tên|họ và tên|teslim alan|alıcı|gönderen|ad soyad|adı soyadı|yetkili)[ \t]*:|"
    # Portuguese, Spanish, Hungarian, Finnish, German and Italian greetings, addresses and field labels
    r"\b(?:prezad[oa](?:\(a\))?|estimad[oa]|querid[oa]|kedves|tisztelt|liebe[r]?|sehr geehrte[r]?(?![ \t]+damen\b)|"
    r"gentile|falar com|fale com|hablar con|hable con)(?:(?<=\))|\b),?|"
    r"\b(?:responsável|destinatário|destinatario|contato|contacto|nome|recebedor|pagador|favorecido|ügyintéző|név|címzett|feladó|yhteyshenkilö|vastaanottaja|lähettäjä|nimi|ansprechpartner|"
    r"empfänger|absender)[ \t]*:|"
    # a Chinese form's field labels before a name in Latin letters ("持卡人：Au Man Hong", "聯絡人：Bill Shiu")
    r"(?:持卡人|聯絡人|联系人|聯繫人|收件人|寄件人|姓名|負責人|负责人|經辦人|经办人|"
    r"申請人|申请人|取件人|乘客|住客)[ \t]*[:：](?=[ \t]*[A-Za-z]))"
    r"[ \t]*",
    re.I,
)
# INTRO_ANY's words that ASCII letters write ("Estimado Luchito Chamorro:", "Querida Ana"): an ASCII text that holds
# one is read with INTRO_ANY too (INTRO, the shorter, reads every other ASCII text)
_ANY_ASCII_HINTS = (
    "prezad estimad querid kedves tisztelt liebe geehrte gentile falar fale hablar hable destinatario contato "
    "contacto nome recebedor pagador favorecido vastaanottaja nimi ansprechpartner absender soyad yetkili teslim"
).split()


def intro_any_hint(text: str) -> bool:
    """Whether an ASCII ``text`` holds a word of INTRO_ANY's (see above)."""
    low = text.lower()
    return any(hint in low for hint in _ANY_ASCII_HINTS)


# The same in languages whose cues came with the held-out sets after the first ones (Indonesian and Malay,
# Swahili, Zulu, Xhosa, Sotho, Kinyarwanda, Twi, Tagalog, Dutch, the Nordic and Baltic languages, Romanian,
# Polish, Czech, Slovak, Serbian and Croatian, Albanian, Icelandic, Greek, Ukrainian, Bulgarian, Mongolian,
# Armenian; account holders in Spanish, Portuguese and French; Ilocano, Cebuano, Tagalog's honorifics, Lao,
# Luganda, Greenlandic, Bislama; Slovenian, Shona, Chichewa, Oshiwambo, Sranan, Guyanese and Central American
# greetings, Swahili's "from"; Cantonese, Turkmen, Fijian, Palauan, Papiamento, Somali, Dhivehi, Pohnpeian,
# Aymara, Kirundi, Quechua, Puerto Rican and Gulf greetings, Italian holders; Māori and Cook Islands Māori,
# Marshallese, Gabonese, Krio and Liberian, Mandinka and Taiwanese Hokkien greetings, Finnish holders, Nordic
# payees, a buyer and a seller; Haitian and Antillean Creole, Jamaican, Chamorro, Niuean and Tongan greetings,
# Persian's "contact with" in Latin letters; Mooré's afternoon and evening, Cameroonian Pidgin's "how na",
# Egyptian, Hassaniya and Gulf Arabic greetings in Latin letters, Esperanto's and North Sámi's, Nordic cardholders;
# Upper Sorbian, Icelandic, Slovak and Belarusian greetings; South African and Hawaiian "howzit", Hawaiian thanks
# and welcome; Abkhaz, Ossetian and Moldovan (in Cyrillic letters) thanks and greetings; Kadazandusun's greeting
# and thanks, and "my name" in Malay, Iban and Kadazandusun; Georgian greetings and thanks in Latin letters, its
# "sir" and "madam", German bookings, Albanian cards and accounts "of" a name, Bangladesh's "assalamu alaikum"; Danish
# "Mvh." with the name on its line, the Nordic "thanks to", Sønderjysk's and Bornholmsk's "hi", Cypriot Greek greetings
# and "sir" in Latin letters; Afrikaans "Mnr." and "Mev.", its greetings, thanks, sign-off, "owner" and "to:", Sesotho's
# thanks and "Ntate", Limeño "causa"; Lithuanian "labas" and "gerbiamasis", Latvian "cienījamais"), as
# plain phrases: a sign-off before the name on the next line, a greeting or an address before it, a field label
# before a colon, an account holder's label, an honorific. Read only where a word of one of them stands in the
# text (INTRO_WORLD_WORDS): an alternation this long would cost every text.
_WORLD_SIGN_OFFS = """groet|kveðja|kveðjur|kveðju|pozdrawiam|pozdravem|hälsningar|hälsning|hilsen|cordialement|salamu|
ar cieņu|lugupidamisega|pagarbiai|s poštovanjem|srdačan pozdrav|me respekt|с поштовањем|groete|vriendelike groete"""
_WORLD_GREETINGS = """halo|hai|selamat pagi|selamat siang|selamat sore|selamat malam|terima kasih|kepada|yth|habari|
jambo|hujambo|asante|sawubona|sanibonani|molo|molweni|dumela|muraho|mwaramutse|akwaaba|ngiyabonga|labdien|labrit|
labvakar|sveiki|sveikas|sveika|laba diena|tere|paldies|aciu|aitah|poruka od|pismo od|poziv od|mejl od|
sastanak sa|razgovor sa|ručak sa|rucak sa|kumusta|salamat|beste|geachte|hoi|hei|kære|kjære|kära|buna ziua|
stimate|stimata|chère|witam|czesc|dziekuje|dobry den|dekuji|αγαπητέ|αγαπητή|αγαπητε|αγαπητη|αγαπητοί|
γειά σου|γειά σας|γεια σου|γεια σας|καλημέρα|ευχαριστώ|ευχαριστούμε|шановний|шановна|вітаю|привіт|дякую|
здравей|здравейте|благодаря|поздрав|хвала|сайн байна уу|баярлалаа|эрхэм|բարև|հարգելի|շնորհակալություն|
szanowny|szanowna|szanowny panie|szanowny pan|szanowna pani|dzień dobry|cześć|dziękuję|vážený|vážená|
vážený pane|vážený pan|vážená paní|dobrý den|ďakujem|děkuji|bună ziua|stimată|góðan daginn|góða kvöldið|
halló|sæl|sæll|kæri|kæra|labrīt|ačiū|aitäh|përshëndetje|faleminderit|порука од|писмо од|позив од|
састанак са|разговор са|ручак са|salamat po|maraming salamat|kumusta po|magandang umaga|magandang hapon|
sain baina uu|sain bainuu|barev|barev dzez|hargeli|ahoj|zdravím|сәлеметсіз бе|сәлеметсіз|сәлем|рақмет|рахмет|
құрметті|salem|salemetsiz be|rakhmet|raqmet|qurmetti|assalomu alaykum|assalomu aleykum|rahmat|hurmatli|hörmətli|
bonzour|bonswar|assalamu alaikum|wah gwaan|wha gwaan|julley|jullay|kem cho|na nga def|nanga def|jërëjëf|
лист від|повідомлення від|дзвінок від|лист от|письмо от|сообщение от|bom dia|boa tarde|boa noite|bon dia|
moien|mālō e lelei|malo e lelei|talofa|talofa lava|wuh gine on|nǐ hǎo|ni hao|nín hǎo|nin hao|salaan|mrahba|marhaba|
kifak|kifik|aslema|təşəkkür edirik|bun venit|mba'éichapa|góðan dag|zdravo|здраво|
naimbag nga aldaw|naimbag nga bigat|naimbag a malem|naimbag a rabii|agyamanak|maayong buntag|maayong hapon|
maayong gabii|maayong udto|salamat kaayo|magandang umaga po|magandang hapon po|magandang gabi|magandang gabi po|
magandang tanghali|salamat kay|maraming salamat kay|salamat po kay|sabaidee|sabai dee|sabaidi|khop chai|
buenas|buenas tardes|buenas noches|buenos días|buenos dias|aluu|qujanaq|gyebale ko|webale|oli otya|
mwiriwe|murakoze|halo olgeta|tankyu|spoštovana gospa|spoštovani gospod|živjo|zivjo|
mhoro|chele|aarait|walalapo nawa|fa waka|moni|ñaño|wha gwan|kutoka kwa|ia ora na|ia orana|manao ahoana|
ne y yibeoogo|a fɔn ganji a|ŋdi|mauri|lumela|kaixo|bondia|bonjou|nei hou|neih hou|lei hou|ýagşymy|salam|
ni sa bula|bula vinaka|ungil tutau|kon ta bai|bon dia|nabad|kihineh|kaselehlie|kamisaki|amahoro|imaynalla|wepa|
hayyak|kaise ho|klk|kia ora|kia orana|iakwe|mbolo|aw di bodi|how de body|i be ñaading|lí-hó|li-ho|yia sou|yia sas|
geia sou|moghrey mie|fastyr mie|salam alekum|salam alaikum|salam aleikum|sbeh el khir|sbah el khir|sbeh el khier|
i ni ce|i ni sogoma|jaraama|mbote|fofo|bouônjour|sê bô|bonjournu|ka ou fè|kouman ou ye|sa ka fèt|
sa ou fè|wha happenin|wah happenin|wha' de scene|wha de scene|håfa adai|hafa adai|fakaalofa lahi atu|
mālō te ma'uli|malo te ma'uli|tamas ba|ne y windiga|ne y zabre|how na|
ezayak ya|ezayek ya|izzayak ya|ish halak|ish halek|ya hala|ahlan ya|kifak ya|saluton|bures|giitu|
witaj|witajće|skál|dobrý deň|добры дзень|дзякуй|добры вечар|
howzit|mahalo|mahalo nui|mahalo iā|mahalo ia|mahalo nui iā|mahalo nui ia|mahalo nui loa|e komo mai|
иҭабуп|бзиала шәаабеит|бзиала уаабеит|дæ бон хорз|уæ бон хорз|бузныг|бунэ зиуа|мулцумеск|
kopivosian|kotohuadan|nama saya|nama aku|ngaran ku|gamarjoba|gamarjobat|gamarjoba dzmao|madloba|
mvh.|mvh|vh.|med venlig hilsen|venlig hilsen|tak til|takk til|tack till|inta kamneis|ti kaneis|ti kanis|kalimera|
kalispera|kalimera sas|kalispera sas|mojn|goddaw|geagte|liewe|kea leboha|ke a leboha|baie dankie|dankie vir|
labas|labas rytas|linkėjimai|labas vakaras|gerbiamasis|gerbiamoji|gerbiamas|gerbiama|gerbiamieji|cienījamais|cienījamā|
godātais|godātā|sveiks"""
_WORLD_LABELS = """nama|penerima|pengirim|jina|pangalan|naam|namn|navn|nume|nom|nombre|nom complet|destinataire|
expéditeur|mittente|remitente|odbiorca|nadawca|prijemce|odesilatel|όνομα|ονοματεπώνυμο|επικοινωνία|
παραλήπτης|αποστολέας|υπεύθυνος|υπεύθυνη|πελάτης|ім'я|ім’я|отримувач|відправник|контакт|име|получател|
подател|нэр|хүлээн авагч|անուն|ստացող|imię|imię i nazwisko|jméno|příjemce|odesílatel|meno|príjemca|
mottagare|avsändare|modtager|afsender|mottaker|avsender|nome completo|nombre completo|nom complet|
ime in priimek|ime|priimek|naslovnik|pošiljatelj|apellidos y nombre|nombre y apellidos|apellidos|nom et prénom|
prénom et nom|nom et prenom|aan"""
_WORLD_HOLDERS = """titular|titular de la cuenta|titular da conta|atendió|atendio|atendió por|atendio por|atendido por|
beneficiario|titulaire|titulaire du compte|власник|власниця|власник картки|владелец|владелица|иесі|egasi|
kontohavare|kontoinnehavare|kontohaver|kontoindehaver|kontoinhaber|karteninhaber|inhaber|vətəndaş|vatandaş|
imetnik|imetnica|imetnik računa|davčni zavezanec|davčna zavezanka|a nombre de|a nome de|au nom de|κάτοχος|
intestato a|intestata a|
κάτοχος κάρτας|viajero|viajera|pasajero|pasajera|titular de la tarjeta|haltija|kortinhaltija|tilinhaltija|
betaling til|overføring til|betalning till|buyer|seller|op naam van|ten name van|bénéficiaire|beneficiaire|
assuré|assurée|organiser|organizer|kortholder|kortinnehaver|kortindehaver|kortinnehavare|
buchung für|reservierung für|gebucht für|karta e|kartela e|llogaria e|në emër të|eienaar"""
_WORLD_HONORIFICS = """bapak|bpk|ibu|sdr|sdri|encik|puan|tuan|bwana|κ|κα|κος|κύριος|κύριε|κυρία|пан|пані|г-н|г-жа|
господин|госпожа|պարոն|տիկին|pane|paní|slečno|slečna|pán|khanom|khanum|agha-ye|aghaye|mudane|marwo|xanım|cənab|
gng|ginang|ginoo|binibini|kuya|manong|manang|engr|atty|spoštovana ga|spoštovani g|gdč|batono|kalbatono|batoni|
kalbatoni|kyrie|kyria|kyrios|mnr|mev|mej|ntate|causa|ponia|ponas|pone|ponui|poniai|ponios|pono"""


def _phrases(listing: str) -> list[str]:
    return [p.strip() for p in listing.replace("\n", "").split("|")]


def _alternation(listing: str) -> str:
    return "|".join(re.escape(p) for p in sorted(_phrases(listing), key=len, reverse=True))


INTRO_WORLD = re.compile(
    rf"(?:\b(?:{_alternation(_WORLD_SIGN_OFFS)})[,!.]?[ \t]*\n|\b(?:{_alternation(_WORLD_GREETINGS)})(?:\b|(?<=\.)),?|"
    rf"\b(?:{_alternation(_WORLD_LABELS)})[ \t]*:|\b(?:{_alternation(_WORLD_HOLDERS)})\b[ \t]*:?)[ \t]*",
    re.I,
)
HONORIFIC_WORLD = re.compile(rf"\b(?:{_alternation(_WORLD_HONORIFICS)})\.?[ \t]+", re.I)
# each phrase's longest word (one any text holding the phrase holds; "me respekt" waits for "respekt", not "me")
INTRO_WORLD_WORDS = frozenset(
    max(phrase.split(), key=len).casefold().rstrip(".")
    for listing in (_WORLD_SIGN_OFFS, _WORLD_GREETINGS, _WORLD_LABELS, _WORLD_HOLDERS, _WORLD_HONORIFICS)
    for phrase in _phrases(listing)
)


def greeting_spans(text: str) -> list[tuple[int, int]]:
    """Where the other languages' greetings, sign-offs and labels stand in ``text``: their own words
    are no name ("Рақмет, Қуанышбек": thanks, then the name)."""
    return [m.span() for m in INTRO_WORLD.finditer(text)]


# Greetings, thanks, "dear" and titles before a name in the scripts of South and South-East Asia and
# the Caucasus (Devanagari for Hindi, Marathi and Nepali; Tamil, Bengali, Telugu, Kannada, Malayalam,
# Gujarati, Gurmukhi, Sinhala, Burmese, Lao, Khmer, Georgian, Thai; Urdu in Arabic letters), and the
# labels of a name or a contact field (read before a colon, "៖" or "፡").
_SCRIPT_GREETINGS = (
    """नमस्ते नमस्कार प्रिय आदरणीय धन्यवाद सादर
வணக்கம் அன்புள்ள மதிப்பிற்குரிய நன்றி
নমস্কার প্রিয় শ্রদ্ধেয় ধন্যবাদ
నమస్కారం నమస్తే ప్రియమైన ధన్యవాదాలు
ನಮಸ್ಕಾರ ಪ್ರಿಯ ಧನ್ಯವಾದಗಳು
നമസ്കാരം പ്രിയ പ്രിയപ്പെട്ട നന്ദി
નમસ્તે પ્રિય આભાર
ਪਿਆਰੇ ਧੰਨਵਾਦ
ආයුබෝවන් හිතවත් ස්තුතියි
မင်္ဂလာပါ ကျေးဇူးတင်ပါတယ်
ສະບາຍດີ ຂອບໃຈ
សួស្តី ជម្រាបសួរ សូមអរគុណ
გამარჯობა ძვირფასო მადლობა
สวัสดี เรียน ขอบคุณ
محترم محترمہ شکریہ""".split()
    + [
        "გილოცავ დაბადების დღეს",  # and wishes of more than one word: Georgian "happy birthday"
    ]
)
# Their titles, which a written name takes in (read as part of it: SCRIPT_TITLES).
_SCRIPT_TITLE_WORDS = """श्री श्रीमती सुश्री திரு திருமதி செல்வி শ্রী শ্রীমতী জনাব శ్రీ శ్రీమతి ಶ್ರೀ ಶ್ರೀಮತಿ ശ്രീ ശ്രീമതി શ્રી શ્રીમતી
ਸ੍ਰੀ ਸ੍ਰੀਮਤੀ ທ່ານ លោក លោកស្រី អ្នកស្រី ბატონო ქალბატონო ბატონი ქალბატონი মোঃ মোছাঃ""".split()
_SCRIPT_LABELS = """नाम संपर्क प्रेषक प्राप्तकर्ता பெயர் தொடர்பு அனுப்புநர் பெறுநர் নাম যোগাযোগ প্রেরক প্রাপক পিতা মাতা
పేరు ಹೆಸರು പേര് નામ ਨਾਮ නම အမည် ຊື່ ឈ្មោះ სახელი ชื่อ ผู้ติดต่อ ผู้รับ ผู้ส่ง""".split()
# "คุณ" before a Thai name, written without a space, after a greeting, thanks or a label ("สวัสดีคุณ...",
# "ขอบคุณคุณ...", "ผู้ติดต่อ: คุณ..."); alone it is also "you" ("คุณสามารถ...", "ของคุณ"), so a cue must come
# first. The name ends at a space or before the polite particles that close a Thai sentence.
THAI_NAME = re.compile(
    r"(?:สวัสดี|เรียน|ขอบคุณ|ถึง|(?:ชื่อ|ผู้ติดต่อ|ผู้รับ|ผู้ส่ง)[ \t]*[:：])[ \t]*คุณ"
    r"(?P<name>[\u0e01-\u0e4e]{2,}?)(?=(?:มาก)?(?:ครับ|ค่ะ|คะ|นะ|จ้ะ|จ้า)*(?:[\s,.!?)]|$))"
)
# The same in scripts without capitals, where no shape says a name starts: a greeting, thanks, a
# call or a "from:" before a run of words in that script (Hebrew "שלום", "תודה ל..." whose "ל" is glued
# to the name, "מאת:"; Arabic "مرحبا", "شكرا", "يا", "اتصل بـ", "من:"). Read by the pass over scripts
# without capitals only, which stops at the function words below.
SCRIPT_INTRO = re.compile(
    r"(?:(?<![\w])(?:שלום|היי|הי|תודה|תודה רבה|מאת:|אל:|בברכה,?\n?|לכבוד|"
    r"مرحبا|مرحباً|أهلا|اهلا|أهلاً|أهلين|اهلين|"
    r"شكرا|شكراً|عزيزي|عزيزتي|يا|من:|إلى:|مع تحيات|تحياتي،?\n?|اتصل(?:ي)? ب(?:ـ)?|"
    r"راسل(?:ي)?|الأستاذ|الاستاذ|السيد|السيدة|"
    # Korean field labels: who is in charge, who sent, who receives, who wrote, a name
    r"(?:담당자|보낸[ ]?사람|받는[ ]?사람|작성자|성명|이름|신청자|예약자|주문자|수령인|고객명|발신자|수신자)"
    r"[ \t]*[:：]|"
    # Japanese field labels: the person in charge, the sender, the addressee, a name
    r"(?:担当者?|差出人|送信者|宛先|宛名|氏名|お名前|名前|受取人|申込者|依頼者)[ \t]*[:：]|"
    # Persian: a greeting, thanks, an address ("کاربر گرامی"), a title; Amharic (Ge'ez): a greeting, a name label
    r"سلام|درود|با تشکر،?\n?|با سپاس،?\n?|ممنون|کاربر گرامی|آقای|خانم|جناب|"
    # Persian and Arabic name labels (a form's name, father's name, family name)
    r"(?:نام و نام خانوادگی|نام خانوادگی|نام پدر|نام|الاسم الكامل|الاسم|اسم الأب)[ \t]*[:：]|"
    r"ሰላም|ጤና ይስጥልኝ|ውድ|ስም[ \t]*[:：፡]|ከ[ \t]*[:：])"
    r"[ \t,،]*)",
)
# The same for the scripts of South and South-East Asia and the Caucasus (greetings, thanks, "dear",
# titles, labels); a lookahead on their first letters lets every other position fail at once.
SCRIPT_INTRO_WORLD = re.compile(
    "(?<![\\w])(?=["
    + "".join(sorted({w[0] for w in _SCRIPT_GREETINGS + _SCRIPT_TITLE_WORDS + _SCRIPT_LABELS}))
    + "])(?:"
    + "|".join(sorted(_SCRIPT_GREETINGS + _SCRIPT_TITLE_WORDS, key=len, reverse=True))
    + "|(?:"
    + "|".join(sorted(_SCRIPT_LABELS, key=len, reverse=True))
    + r")[ \t]*[:：៖፡])[ \t,،]*"
)
# Titles among those cues, which a written name takes in ("السيد ...", "جناب آقای ..."): read as part of it
SCRIPT_TITLES = frozenset("الأستاذ الاستاذ السيد السيدة آقای خانم جناب".split()) | frozenset(_SCRIPT_TITLE_WORDS)
# Function words of those scripts that end such a run ("תודה לדנה על העזרה", "اتصل بـ ... على الرقم").
SCRIPT_STOP = frozenset(
    "يا על את של עם אל כי גם או אבל على في من إلى الى عن مع أو او ثم الرقم هاتف "
    # Persian: "dear" and "respected" after a name, "and", "to", "from", "with"
    "عزیز عزیزم گرامی جان و به از با را "
    # an honorific after a name (Hindi and Punjabi "जी", Telugu "గారు", Sinhala "මහතා"), "and", case endings, "phone"
    "जी ਜੀ साहब साहिबा గారు මහතා මහත්මිය صاحب صاحبہ அவர்களே அவர்கள் को से का की के ने और फ़ोन फोन "
    "মহাশয় এবং மற்றும் และ និង და โทร โทรศัพท์ "
    # "you" and "your", which a greeting is as often followed by ("வணக்கம், உங்கள் ஆர்டர் ...": "hello, your order")
    "आप आपका आपकी आपके உங்கள் நீங்கள் আপনার আপনি మీ మీరు ನಿಮ್ಮ ನೀವು നിങ്ങളുടെ നിങ്ങൾ તમારો તમારું તમે ඔබ ඔබගේ "
    "អ្នក ເຈົ້າ သင် თქვენი თქვენ".split()
)
# Where a signature or a mention puts a name, read only in texts with a line break, a dash or an @
# (kept out of INTRO, which every text is scanned with):
SIGNATURE = re.compile(
    # a sign-off, then the name on the next line ("Best regards,\nJoanina")
    r"\b(?:regards|cheers|sincerely|best|thanks|thank you|yours|love|с уважением|atenciosamente|cordialmente|"
    r"abraços|obrigad[oa]|atentamente|saludos|grüße|gruß|groeten|saluti|terveisin|"
    r"üdvözlettel|tisztelettel)[,!.]?[ \t]*\n[ \t]*"
    # a signature after a dash that ends the text, after a sentence ("Any update? — Magdolna Barna")
    r"|(?:(?<=[.!?)]\s)|(?<=\n))[—–][ \t]*(?=[^\W\d_][^\n—–.!?]{0,60}$)"
    # an @-mention in chat ("@Feriel can you look"); never an e-mail's @, a decorator ("@app.route",
    # "@dataclass class") or a package scope ("@stdlib/...")
    r"|(?<![\w.+\-@`'\"])@(?=[^\W\d_][\w\-]*"
    r"(?:[ \t]+(?!def\b|class\b|async\b|public\b|[A-Z]\w*[ \t]+\w+\()|[,:;!?]|$))",
    re.I,
)
# A form's name field in any of ~40 languages: the words for a name, a first name and a surname, alone or joined
# ("Nom, prénom :", "Cognome e nome:", "Name, Vorname:", "Apellidos y nombres:", "Sukunimi / etunimi:"), a
# note in brackets perhaps ("NAME (LATIN):"), then a colon. Read only in a text with a colon (kept out of INTRO,
# which every text is scanned with).
_NAME_FIELD_WORDS = """name|names|full name|first name|last name|surname|forename|given names?|family name|nom|noms|
prénom|prénoms|prenom|nom de famille|nombre|nombres|apellido|apellidos|nome|nomi|cognome|sobrenome|apelido|
vorname|vornamen|nachname|familienname|voornaam|voornamen|achternaam|naam|fornavn|efternavn|etternavn|
förnamn|efternamn|navn|namn|imię|imie|nazwisko|jméno|jmeno|příjmení|prijmeni|meno|priezvisko|ime|prezime|
priimek|nume|prenume|numele|etunimi|sukunimi|nimi|keresztnév|vezetéknév|név|ad|adı|soyad|soyadı|vārds|
uzvārds|vardas|pavardė|eesnimi|perekonnanimi|emri|mbiemri|nafn|eftirnafn|όνομα|επώνυμο|имя|фамилия|
отчество|ім'я|прізвище|име|презиме"""
_NAME_FIELD_WORD = "|".join(sorted(_NAME_FIELD_WORDS.replace("\n", "").split("|"), key=len, reverse=True))
_JOIN = r"[ \t]*(?:[,/&+]|\b(?:and|e|et|und|y|i|a|en|og|och|ja|és|ve|și|si|и|і)\b)[ \t]*"
NAME_FIELD = re.compile(
    # (three joined words at most: a longer run of them is no label, and an unbounded one cost time quadratic in it)
    rf"(?<![\w'])(?:{_NAME_FIELD_WORD})(?:{_JOIN}(?:{_NAME_FIELD_WORD})){{0,3}}"
    r"(?:[ \t]*\([^()\n]{1,24}\))?[ \t]*[:：][ \t]*",
    re.I,
)
# The fields that hold a person's name and nothing else: a given name's or a surname's word, or two words joined
# ("Nom, prénom :"); "Name:" alone may name a product ("Name: AWS Lambda").
_PERSONAL_FIELD_WORDS = """first name|last name|surname|forename|given names?|family name|prénoms?|prenom|
nom de famille|apellidos?|cognome|sobrenome|apelido|vornamen?|nachname|familienname|voornamen?|achternaam|
fornavn|efternavn|etternavn|förnamn|efternamn|imię|nazwisko|příjmení|prijmeni|priezvisko|prezime|priimek|prenume|etunimi|sukunimi|
keresztnév|vezetéknév|soyadı?|uzvārds|pavardė|eesnimi|perekonnanimi|mbiemri|eftirnafn|επώνυμο|фамилия|отчество|
прізвище|презиме"""
PERSONAL_FIELD = re.compile(
    rf"(?<![\w'])(?:(?:{_PERSONAL_FIELD_WORDS.replace(chr(10), '')})"
    rf"|(?:{_NAME_FIELD_WORD})(?:{_JOIN}(?:{_NAME_FIELD_WORD})){{1,3}})"
    r"(?:[ \t]*\([^()\n]{1,24}\))?[ \t]*[:：][ \t]*$",
    re.I,
)
# Introductions after which any word (not a function word) is a name, in any case ("name: stephnie").
STRONG_INTRO = re.compile(
    r"(?:\bmy name(?:'s| is)|\bname: |\bcall me|^(?:hi|hello|hey|dear)|\b(?:reviewer|owner|assignee|"
    r"reporter|employee|cardholder|holder|beneficiary|payee|passenger|guest|tenant|candidate|applicant|sender|"
    r"recipient|reviewed-by|signed-off-by|co-authored-by|acked-by|reported-by|tested-by|suggested-by|patient|student|"
    r"guardian):|@|[—–])[ \t]*$",
    re.I,
)
# A vocative's clause: a line's first clause, short, up to its "!" or "?" ("Tenkyu tru, Tiyana!", "Yewo chomene
# Obriel!"); pii_name_rules reads the words it calls out to
VOCATIVE = re.compile(r"(?m)^[ \t]*[^\W\d_][^\n!?.:;\d@/]{0,60}?[!?]")
# A greeting right before a word; titles that a greeting may precede; "in" before a place.
GREETED = re.compile(r"\b(?:dear|hi|hello|hey)[ \t]+$", re.I)
# A month that is a given name too, right after a greeting and before a comma or "!": the one greeted ("Hej August,")
_MONTH_NAME = re.compile(r"(?:April|May|June|August)\b")
_MONTH_CALLED = re.compile(r"(?:April|May|June|August)[,!]")
_CALLING_BEFORE = re.compile(r"\b(?:dear|hi|hello|hey|hej|hei|hallo|hola|kære|kjære|kära|liebe|lieber)[ \t]+$", re.I)


# (and after an honorific: "Ntate August")
def month_called(text: str, start: int, honorific: bool = False) -> bool:
    """Whether the month at ``start`` is the name of the one a greeting before it calls (see above), or any month
    that is a given name too after an honorific."""
    if honorific:
        return _MONTH_NAME.match(text, start) is not None
    return (
        _MONTH_CALLED.match(text, start) is not None
        and _CALLING_BEFORE.search(text, max(0, start - 12), start) is not None
    )


TITLES = frozenset("mr mrs ms mx miss dr prof".split())
# (and the same in Spanish, Portuguese, French and German: "nos vemos en Santiago", "à Paris")
IN_PLACE = re.compile(r"(?:\b(?:in|across|throughout|near|en|em|nach|aus)|(?<!\w)(?:à|au))[ \t]+$", re.I)
# A verb of where, then "in" or "at", before a word: a place even when a list knows the word as a name ("paid in
# Stanley", "born in Florence"); and a saint's or a mount's abbreviation before one word ("St. John's", "Mt. Hood")
PLACE_VERB_IN = re.compile(
    r"\b(?:paid|born|based|located|made|issued|held|landed|arrived|stationed|registered|printed|renewed|posted|"
    r"lives|lived|living|stays|stayed|staying|works|worked)[ \t]+(?:in|at)[ \t]+$",
    re.I,
)
ABBREVIATED_SAINT = re.compile(r"(?-i:\b(?:St|Ste|Sta|Mt|Ft))\.?[ \t]+$")
# A word after a determiner, or after a determiner and one word, is a thing ("who is the governor",
# "the stack trace"): in lowercase text, where no capital says otherwise, a listed name there is the word.
DETERMINED = re.compile(
    r"\b(?:the|a|an|this|that|these|those|its|our|their|your|his|her|my|some|any|no|every|each|most)"
    r"[ \t]+(?:[^\W\d_]+[ \t]+)?$",
    re.I,
)
# A number's mark after a label ("Rēķins Nr. 123", "Рачун бр. 123", "Challan no. 123"): what it labels is a thing.
# (a mark, or the Baltic, Estonian, Czech and Polish "code", before the number or a code in capitals and the number:
# "Įmonės kodas 302...", "Reg. nr. HK 1086")
NUMBER_MARK_AFTER = re.compile(
    r"\.?[ \t]*(?:nr|no|br|бр|nº|n°|№|#|num|nro|núm|kodas|kods|kood|kód|kod)\.?[ \t]*:?[ \t]*(?-i:[A-Z]{1,3}[ \t])?\d",
    re.I,
)
NUMBER_MARKS = frozenset("nr no br бр num nro núm kodas kods kood kód kod".split())
# An identifier's noun that is a name too, first in a span that a number follows ("Resi JNE 7996...",
# "Boleta N° 4812...", "Folio 8812"), and what may stand between them: a mark, a colon, a sign
NUMBER_AFTER = re.compile(r"[ \t]*(?:[°º#:.]{1,2}|№)?[ \t]*:?[ \t]*\d")
# Coordinates after a word: a place's ("Asunción -25.2637399 -57.5759254")
COORDINATES_AFTER = re.compile(r"[ \t]*[-+]?\d{1,3}\.\d{3,}[ \t]*,?[ \t]*[-+]?\d{1,3}\.\d{3,}")
ID_NOUN_FIRST = re.compile(
    r"(?:resi|boleta|folio|faktur|factura|pedido|order|invoice|symbol|ticket|suivi|expediente|"
    # a car's plate ("Nommerplaat CA 123-456", "Placa A1B-234")
    r"nommerplaat|nummerplade|nummerplate|placa|kenteken|matrícula|matricula|targa|kennzeichen|"
    # a total before its amount ("Jami 120 000 so'm"; "Jami" is a first name too)
    r"jami|jumlah|total|summa|итого|всего|сумма|разом)\b",
    re.I,
)
# Capitalized words that follow an introduction without being a name ("I'm Sorry", "Hi Team").
NOT_NAMES = frozenset(
    """sorry happy glad not so very here there back all everyone team guys folks again sure good fine
new looking writing trying going getting calling unable having still just really the a an in at on from with to and
or of for support customer sir madam friend friends you your our my his her their its it this that we they he she i
me us them there everybody all any some no yes ok okay please thanks thank hello hi hey dear regards best cheers
sincerely congratulations congrats notes note reviewer translate rewrite summarise summarize write draft who please
about interested atenciosamente cordialmente abraços obrigado obrigada atentamente saludos cordialement grüße
groeten saluti terveisin üdvözlettel tisztelettel prezado prezada kedves tisztelt estimado estimada querido querida
equipe equipo http https
available able afraid aware done ready working currently also only always never now then
today tomorrow yesterday morning afternoon evening night week weekend monday tuesday wednesday thursday friday
saturday sunday january february march april may june july august september october november december sales
billing admin info service services customers user users client clients manager director ceo cto hr it qa dev
devops engineering is are was were be been being am has have had do does did will would shall should can could
may might must ought said says say asked asks ask told tells tell wants want wanted needs need needed wrote writes
sent sends paid pays pay called calls call got gets made makes went goes go came comes took takes gave gives knows
knew thinks thought says how what when where why who whom whose which while if then than because since until unless
though although as but yet nor either neither both each every many much more most less least few several own same
other another such into onto upon over under above below between among through during before after around against
without within along across behind beyond near off out up down via per about like unlike via re vs etc would also
too again ever never not no yes did didn't doesn't don't isn't aren't wasn't won't can't couldn't shouldn't here's
there's it's that's what's let's i'll you'll we'll he'll she'll they'll i've you've we've i'd you'd he'd she'd
mine yours hers ours theirs himself herself myself yourself itself ourselves themselves one two three four five six
seven eight nine ten first second third contact email mail message ping meet invite add remove assign
hand courier fax default design signed nothing nobody someone somebody anyone anybody something anything everything
thank cc forward send reply see check note ask tell last next today tonight asap later soon now just only even
still already
все всем всё вы вам вас мы ваш ваша ваше ваши коллеги команда друзья господа уважаемые дорогие клиент
здравствуйте здравствуй привет спасибо благодарю уважаемый уважаемая дорогой дорогая
nomor numer número numero nummer numéro номер αριθμός
kveðja kveðjur kveðju pozdrawiam pozdravem hälsningar hilsen groet cordialement salamu sawubona molo dumela muraho
labdien sveiki tere paldies përshëndetje lugupidamisega pagarbiai labas gerbiamasis gerbiamoji
""".split()
)

# Function words that a headline capitalizes and no name holds ("Lunch With", "Head Of Product At"):
# prepositions, conjunctions, articles, possessives and forms of "be" (not "Will", "May", "Said", nor "A",
# an initial too), and the verbs of news about people that follow a name ("... Named Head Of Product").
HEADLINE_BREAKS = frozenset(
    """with on of for and or as at by from in into to the an about after before over under vs via is are was
were has have had our your my his her their its this that these those
named appointed joins wins promoted""".split()
)


# Russian verbs only people do, after a name ("... просит перенести встречу", "... сказала").
_RUSSIAN_DOES = (
    r"просит|просила?|попросила?|сказала?|говорит|написала?|пишет|звонила?|позвонила?|ответила?|"
    r"хочет|спрашивает|спросила?|подписала?|приедет|придёт|придет"
)
# whose son or daughter ("Fida s/o Salman"); a family or school role in brackets ("... (guardian)")
_PERSON_ROLE_AFTER = (
    r"[ \t]+[sd]/o\b|[ \t]*\((?:guardian|parent|mother|father|mom|dad|spouse|wife|husband|son|daughter|child|"
    r"student|teacher|tenant|patient|he/him|she/her|they/them)\)"
    # Bengali, Hindi and Bhojpuri kin words after a given name ("Shahidul bhai", "Farzana apu", "Subrata da,",
    # "Biplob ভাইয়ের")
    r"|[ \t]+(?:bhai|bhaiya|vai|apu|didi|dada|bhabi)\b|[ \t]+(?:da|di)(?=[ \t]*,)|[ \t]+(?:ভাই|আপু|দিদি|দাদা)"
)
_PERSON_HAS = (
    r"['’]s[ \t]+(?:visa|passport|birthday|wife|husband|daughter|salary|payslip|resignation|girlfriend|"
    r"boyfriend|fiancée?|home address)\b"
)
# Around a single capitalized word no list knows, what says it is a person: a verb people do
# after it ("Hauwa said"), or a word that puts a person after it ("between Afia and ...").
PERSON_AFTER = re.compile(
    r"[ \t]+(?:said|says|asked|asks|wants|wanted|will|would|wrote|writes|told|tells|called|calls|"
    r"replied|replies|thinks|thought|signed|requested|requests|does|did|is|was|has|had|and her|"
    r"(?:and|&) family(?![ \t]+[^\W\d_])|"
    r"and his|agreed|approved|emailed|mentioned|sent|paid|needs|needed|joined|joins|left|declined|"
    r"speaks|spoke|now speaks|reviews|reviewed|presents|presented|arrives|arrived|resigned|retired|"
    r"apologi[sz]ed|promised|volunteered|confirmed|takes over|took over|"
    # Turkish addresses after a name ("Mehmet Bey", "Ayşe Hanım"); Hong Kong's and India's "sir" and "madam" after a
    # surname, in lowercase ("Wong sir", "Sharma madam")
    r"bey|hanım|beyefendi|hanımefendi|(?-i:sir|madam)|"
    # Vietnamese's call to the one addressed after a name ("Trâm ơi, ...")
    r"ơi|"
    # what a person or their account does ("... logged in from", "... is out sick")
    r"logged (?:in|out)|signed (?:in|up)|is out sick|is on (?:leave|vacation)|" + _RUSSIAN_DOES + r")\b"
    # "(+1 ...)", "(ana@...)" after a name, or an address in angle brackets ("Iveta <iveta@...>", git trailers)
    r"|[ \t]*\((?=[^)]*[@\d])|[ \t]*<(?=[^<>\s@]+@[^<>\s]+>)"
    + "|"
    + _PERSON_ROLE_AFTER
    # a person's own number or birth date after a comma ("..., SSN 743-47-7561", "..., DOB 1990-02-01")
    + r"|,[ \t]*(?:ssn|ss#|dob|d\.o\.b\.|date of birth|born)\b"
    # what only a person has ("...'s visa", "...'s wife")
    r"|" + _PERSON_HAS,
    re.I,
)
# After a word that starts a sentence, where its capital says nothing: a verb people do, not one
# any noun takes ("Uvicorn is ...", "Anger was ...", "Deletion has ...").
PERSON_DOES = re.compile(
    r"[ \t]+(?:said|says|asked|asks|wants|wanted|will|would|wrote|writes|told|tells|called|calls|"
    r"replied|replies|thinks|thought|signed|requested|requests|and her|and his|agreed|approved|"
    r"(?:and|&) family(?![ \t]+[^\W\d_])|"
    r"emailed|"
    r"mentioned|sent|paid|needs|needed|joined|joins|declined|now speaks|speaks|spoke|presented|resigned|retired|"
    r"apologi[sz]ed|volunteered|ơi|(?-i:sir|madam)|"
    r"logged (?:in|out)|signed (?:in|up)|is out sick|is on (?:leave|vacation)|"
    # "left a review", "left early"; not "left out", which options and rules are too
    r"left(?=[ \t]+(?:a|an|the|us|me|his|her|their|early)\b)|"
    + _RUSSIAN_DOES
    + r")\b|[ \t]*\((?=[^)]*[@\d])"
    + "|"
    + _PERSON_ROLE_AFTER
    + r"|[ \t]*<(?=[^<>\s@]+@[^<>\s]+>)|"
    + _PERSON_HAS,
    re.I,
)
# What only people do: "said", "asked" (not "is", "has", which nouns do too).
# It starts where a run of spaces starts: tried at every space of a long run, the search took
# quadratic time (12,000 spaces held a request for a minute).
PERSON_SAID = re.compile(
    r"(?<![ \t])[ \t]+(?:said|says|asked|asks|told|tells|wrote|replied|replies|emailed|mentioned|agreed|"
    r"approved|signed|requested|wants|wanted|thinks|thought)\b",
    re.I,
)
# An e-mail address in angle brackets or in parentheses right after a word: whose address it is ("ana
# lima <ana@...>", "EVA (eva@...)"), read for lowercase pairs and a word in capitals too.
ADDRESS_AFTER = re.compile(r"(?<![ \t])[ \t]*(?:<[^<>\s@]+@[^<>\s]+>|\([^()\s@]+@[^()\s]+\))")
PERSON_BEFORE = re.compile(
    # a person's former or other name in brackets ("(was ...)", "(née ...)"), or a word before a person
    r"(?:\((?:was|formerly|née|nee|aka)|"
    r"\b(?:between|ask|asked|tell|told|met|meet|thank|thanks|congratulations|cc|opened by|written by|sent by|"
    r"signed by|reported by|reach|who is|who's|welcome|congratulate|congrats|invite|invited|add|added|"
    r"remove|removed|assign|assigned|ping|email|emailed|call|called|text|texted|message|"
    r"messaged|reply to|wife|husband|son|daughter|mother|father|brother|sister|"
    r"(?:lunch|dinner|coffee|interview|meeting|call|chat|spoke|talked|met|went|worked|working) with|"
    r"thanks to|grateful to|written by|approved by|reviewed by|signed by|sent by|hired|give|gave|"
    r"tell|cheers,|regards,|from:|employee|cardholder|holder|beneficiary|payee|passenger|guest|tenant|landlord|"
    r"candidate|new hire|applicant|note to|letter from|message from|according to|request of|birthday|"
    r"meeting|whether|photo by|posted by|host|driver|call back|on file for|reassigned from|ligar à|ligar ao|liga à|"
    # roles a person holds ("our new intern ...", "visitor ...")
    r"intern|trainee|teammate|coworker|co-worker|mentor|mentee|supervisor|tutor|visitor|rider|courier|"
    # whom a thing is for or whose it is ("belongs to ...", "deliver to ...", "enrolment for ...")
    r"belongs to|belonged to|deliver to|delivered to|ship to|shipped to|hand (?:it )?to|enrol?lment for|"
    r"registration for|"
    r"(?:employee|cardholder|holder|beneficiary|payee|passenger|guest|candidate):|"
    # a role's label, a word after it or not, and a colon ("Driver ojek: ...", "Courier (DHL): ...")
    r"(?:driver|courier|rider|kurir|sopir|supir|technician|agent|nurse|doctor|dokter)(?:[ \t]+\(?\w+\)?)?:|"
    # whom a meeting is with, in a calendar's invitation ("Invitation: sync with ... @ Tue 10:00")
    r"(?:sync|catch-up|catchup|catch up|1:1|one-on-one|standup|check-in|session|appointment|call) with))[ \t]+$",
    re.I,
)

# A month's short name beside a day or a year is a date ("8 Sep 2002", "Sep 05,"), whatever list
# holds it ("Jan", "Jun", "Mar" are names too); not before other digits ("Kim Jun 010-1234-5678").
MONTH_NEXT_TO_NUMBER = re.compile(
    r"(?<![\d.,])\d{1,2}[ \t](?P<after>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\b)"
    r"|\b(?P<before>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec))\.?"
    r"(?=[ \t](?:\d{1,2}|(?:19|20)\d\d)(?![\d\-.]))",
    re.I,
)

# In a headline, where capitals say nothing, what says a run is a person: a preposition a person
# follows ("Lunch Invitation From ...", "Review With ...", "Photo By ...") or a verb of news about
# people after it ("... Named Head Of Product", "... Joins Acme").
HEADLINE_PERSON_BEFORE = re.compile(
    r"(?:\b(?:from|with|by|meets?|featuring|starring|welcomes?|congratulations|congrats)"
    r"|^[ \t]*(?:keynote|speaker|winner|guest|host|panel|interview):)[ \t]+$",
    re.I | re.M,
)
HEADLINE_PERSON_AFTER = re.compile(r"[ \t]+(?:named|appointed|joins|wins|promoted|to lead|steps down)\b", re.I)
# A capital and a full stop after a name of two words or more, where no sentence starts after it: the
# initial of a second surname, as Chile and Mexico write it ("Gutiérrez A., ...", "Tobar A. swapped")
LAST_INITIAL = re.compile(
    r"[ \t](?-i:[A-ZÀ-ÞА-Я])\.(?=[ \t]*(?:$|[,;:!?|)\]\n])|[ \t]+[a-zà-ÿ])"
    # or a short surname or given name that is also a function word, capitalized, before a clause's end: a
    # Chinese, Korean or Vietnamese name's last syllable ("Shufen He |", "Iseo So |", "Nguyễn An,")
    r"|[ \t](?-i:[A-Z][a-zà-ÿ]{1,2})(?=[ \t]*(?:$|[,;!?|/)\]\n<]))"
    # or a Turkic patronymic's last word: "son of", "daughter of" ("Şamilov Dünyamalı Əşrəf oğlu")
    r"|[ \t]+(?i:oğlu|qızı|oglu|qizi|o['ʻ‘’]g['ʻ‘’]li|ogli|ұлы|қызы|улы|кызы|uly|kyzy"
    # and a Georgian one's, after the father's name in the genitive ("Beridze Giorgi Zurabis dze", "... asuli")
    r"|dze|asuli|ძე|ასული)(?![\w'’])"
)
# Bangladesh's "Md." (Mohammad) and "Most." (Mosammat) before a name are written as part of it ("Most. Rokeya Munshi")
NAME_PREFIX_BEFORE = re.compile(r"(?-i:\b(?:Md|MD|Mst|MST|Mohd)\.?|\bMost\.)[ \t]$")
# A form-encoded value of words joined by "+" ("text=Hello+Kavish+Bundhoo"): its "+" is a space
FORM_WORDS = re.compile(r"(?<==)[^\W\d_][^\s&=+]*(?:\+[^\s&=+]+)+")
