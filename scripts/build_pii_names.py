"""Build src/flyloop/pii_names.txt.gz, the name list behind pattern mode's name detector.

Run by hand when the list should change (``python scripts/build_pii_names.py``; needs the ``dev``
extra for Faker, MIT-licensed, whose per-locale person providers are the source). The output is
committed, so an install never needs Faker. Only the locales in ``LOCALES`` feed the list: the
benchmark's held-out set draws names from other Faker locales and from mimesis, so the recall
it reports is for names the list was not built from.

Each line is ``kind<TAB>name``: ``f`` a first name, ``l`` a surname, ``c`` a name that is also a
common English word ("Will", "May", "Rose", "Young"): those count only beside a clearer name or
after a cue such as "Mr." or "my name is".
"""

from __future__ import annotations

import gzip
import importlib
import re
from pathlib import Path

LOCALES = ["en_US", "en_GB", "en_IE", "en_IN", "en_PK", "en_NG", "de_DE", "fr_FR", "es_ES", "es_MX", "es_CO",
           "it_IT", "pt_BR", "pt_PT", "nl_NL", "pl_PL", "sv_SE", "tr_TR", "vi_VN", "id_ID", "ga_IE", "yo_NG",
           "ig_NG", "zu_ZA", "sw", "fil_PH", "tl_PH"]
OUT = Path(__file__).resolve().parent.parent / "src" / "flyloop" / "pii_names.txt.gz"
NAME = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")

# English words that are also first names or surnames somewhere; the lorem list adds ~1,000 more.
COMMON = """a an and are as at be but by can do for from go had has have he her his how i if in is it me my no not of
on or our she so than that the their them then there they this to too up us was we what when where which who why
will with would you your all any about after again also am back been before being big both call came come could day
did down each even every few first get give good great here him into just know last like long look made make man
many may more most much must new next now old one only other out over own part people place right said same see
should show small some still such take tell thing think three through time two under very want way well went were
work world year yes young king long hill wood stone price white black green brown gray grey rich sharp little bell
ball wells banks cash case rice ward page chase hunter
cook ford lane rivers river brooks brook mark bill art dawn summer
autumn winter sky hope joy faith grace june april august jan may sunny rose
storm rain golden silver north south east west love sweet strong hart hunt fox wolf bird swan crane
nice fine free gay guy son sun star moon major early mann man ray rod sol max van von de la le di da
del der den hi ok sir dear thanks thank best kind regards team support
order total note please email phone card number date time today tomorrow monday tuesday wednesday thursday friday
saturday sunday january february march july september october november december deal post press rock field street
park church hall house home city town bank street road avenue way court power chance page lucky
bond price price cross noble honey ace ash bay blue deer dove fern
gale hall jet lord royal
shepherd sky story will win york server noone""".split()


def names(locale: str) -> tuple[set[str], set[str]]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    first: set[str] = set()
    for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
        first.update(getattr(provider, attr, ()) or ())
    last = set(getattr(provider, "last_names", ()) or ())
    clean = lambda values: {v.strip().casefold() for v in values if NAME.match(v.strip()) and len(v.strip()) >= 2}  # noqa: E731
    return clean(first), clean(last)


def main() -> None:
    from faker.providers.lorem.en_US import Provider as Lorem

    common = {w.casefold() for w in COMMON} | {w.casefold() for w in Lorem.word_list}
    first: set[str] = set()
    last: set[str] = set()
    for locale in LOCALES:
        try:
            f, l = names(locale)
        except ModuleNotFoundError:
            continue
        first |= f
        last |= l
    lines = sorted({f"c\t{n}" for n in (first | last) & common} | {f"f\t{n}" for n in first - common}
                   | {f"l\t{n}" for n in last - common})
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("\n".join(lines) + "\n")
    print(f"{OUT}: {len(first)} first names, {len(last)} surnames, {len((first | last) & common)} also common words")


if __name__ == "__main__":
    main()
