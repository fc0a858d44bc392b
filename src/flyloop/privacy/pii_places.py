"""The words that make a run of capitalized words the name of a place, a building, a team, a firm or a feast, not a
person's: a place's or a building's last word ("Golden Gate Bridge"), a firm's or an event's word anywhere in the run
("Hawaiian Airlines HA 429", "Heilala Festival"), a place's noun first ("Plaza San Martín", "Jalan Ampang"), a
street's ending ("-straat", "-straße") and a saint's title ("San Jose del Monte"). :mod:`flyloop.privacy.pii_name_rules`
reads them on the runs the pattern-mode name detector finds and on the spans spaCy calls a person."""

from __future__ import annotations

import re

# The last word of a place's, a building's or a team's name, which ends no person's name after a
# word that is no listed first name ("Golden Gate Bridge", "Canyon National Park", "Microsoft Teams").
PLACE_WORDS = frozenset(
    """park bridge street avenue road boulevard square plaza lake river mountains canyon valley beach island
islands airport station museum library cathedral stadium arena hotel university college academy institute
hospital clinic foundation ministry department council teams club inc ltd llc corp gmbh plc
day days week festival line metro palace castle tower bakery cafe restaurant bank market mall centre center
tea coffee packages tours cruise backup series cup league kings united city fc motor motors heights block estate
towers gardens junction terminal expressway highway gate gates marathon lookout viewpoint hill hills nights rink
fair expo summit conference concert gallery theatre theater zoo pier harbour harbor falls trail fort temple
mosque church shrine monument memorial peak lodge resort hall run walk race night gala koncert konzert concierto
parade carnival branch kaisha school schools campus estates box fortress monastery abbey citadel highlands
caves ave blvd bay slot kirke kirken kyrka kirkja domkirke rundkirke kommune kommun kunta municipality municipio
comune gemeinde commune län fylke sur norte""".split()
)
# A firm's or an institution's word that makes a run of capitalized words its name wherever it stands in it
# ("Hawaiian Airlines HA 429", "Kamehameha Schools Kapālama Campus", "Leilani Estates Pāhoa"), and the words of
# Eastern Europe's clubs' names ("Dinamo Tbilisi", "Torpedo Kutaisi"), a South African firm's "(Edms.) Bpk." and "(Pty)"
ORG_WORDS = frozenset(
    "airlines airways schools campus estates dinamo dynamo torpedo lokomotiv spartak bpk edms pty".split()
)
# Words that make a run of capitalized words an event's or a place's name wherever they stand in it ("Heilala
# Festival Nukuʻalofa", "Fest Napuan Port Vila"), and a saint's title that starts a place's or a feast's name
# ("San Jose del Monte", "Santa Cruz", "Santo Niño"): no person is named so (nor a feast of Borneo: Malay's "pesta",
# Gawai and Kaamatan, the harvest's, and Malaysia's feasts of the faiths; not Kadazandusun's "tadau", a day, which is
# a Fijian surname; Georgia's feasts, and a palace in Croatian, Serbian and Albanian, "Dioklecijanova Palača Riva";
# Peru's Inti Raymi and Corpus Christi)
# (casefolded as tokens' keys are: a Greek word's final sigma folds to "σ")
EVENT_WORDS = frozenset(
    word.casefold()
    for word in "festival fest fiesta feria festa gala carnival concert koncert konzert concierto semana fête fete fèt "
    "feis eisteddfod kermesse pesta gawai kaamatan aidilfitri aidiladha thaipusam deepavali tbilisoba alaverdoba "
    "lamproba mtskhetoba rtveli palača palata pallati karneval karnaval καρναβάλι kataklysmos κατακλυσμός raymi "
    "corpus".split()
)
# A place's noun that comes first in French, Spanish, Portuguese and Italian names of places ("Palais du Peuple",
# "Port El Kantaoui", "Désert de l'Aïr", "Praia da Rocha") and in Malay ("Jalan Ampang", "Kampong Kiulap", "Kuala
# Belait", "Bandar Seri Begawan", "Stadium Negeri"; Iban's "Rumah", a longhouse, and "Batang", a river;
# Kadazandusun's "Hongkod", a hall), Albanian ("Sheshi Skënderbej", "Rruga ...") and Croatian ("Trg ...", "Ulica ..."),
# Spanish streets, squares, parks, islands and valleys ("Plaza San Martín", "Jirón de la Unión", "Islas Ballestas"),
# and Sesotho's mountain ("Thaba Bosiu"):
# a run that holds one before its last word is a place
PLACE_FIRST = frozenset(
    """palais port lac île ile baie plage désert desert praia playa puerto pointe stadium kampong kampung bandar
kuala jalan taman bukit sungai pulau tanjung teluk pantai lorong istana masjid menara wisma lebuh pekan simpang
pasar gunung rumah hongkod batang sheshi rruga bulevardi trg ulica cape plaza jirón jiron parque avenida
paseo malecón isla islas valle thaba""".split()
)
# A street's word that Dutch, Afrikaans, German, the Nordic languages and Hungarian write at a name's end
# ("Kerkstraat", "Hauptstraße", "Drottninggatan", "Vestergade", "Váci utca")
STREET_END = re.compile(r"\w{2,}(?:straat|strasse|straße|gatan|gade|vej|veien|vegen)$|^utca$")
SAINTS = frozenset("san santa santo são sao saint sainte st ste sankt sankta skt".split())
# A place's noun that the Baltic languages, Estonian, Hungarian, Czech and Slovak write in lowercase after the
# capitalized words of its name ("Gedimino prospektas", "Doma laukums", "Raekoja plats", "Hősök tere", "Václavské
# náměstí", "Vytauto Didžiojo universitetas", a fair's "Kaziuko mugė"): the words before it name a place, no person
# (not "most", "loss", "parks" or "tilts", which are English words too)
PLACE_AFTER = frozenset(
    """gatvė prospektas aikštė alėja pilis kalnas nerija ežeras upė universitetas katedra bažnyčia mugė turgus
stotis tiltas parkas rajonas iela laukums piemineklis bulvāris pils kalns ezers upe universitāte katedrāle baznīca
tirgus stacija prospekts plats väljak tänav maantee puiestee järv saar út utca tér tere körút híd hegy tó sziget
náměstí námestie ulice ulica hrad nádraží zámek třída""".split()
)
