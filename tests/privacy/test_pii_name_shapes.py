"""Names their shape marks (flyloop.privacy.pii_name_shapes): Chinese names by a middle dot or a
compound surname, Slavic and Turkic endings, initials, a chat's speaker."""

from __future__ import annotations

import pytest

from flyloop.privacy.pii_name_shapes import han_names, long_unlisted
from flyloop.privacy.pii_names import find_names
from flyloop.privacy.pii_words import _tokens


def spans(text: str) -> list[str]:
    return [text[a:b] for a, b in han_names(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # out from the dot to a word that stands before or after a name
        ("感谢谢尔盖·伊万诺夫的帮助", ["谢尔盖·伊万诺夫"]),
        ("请把合同发给玛丽亚·加西亚，她的电话是", ["玛丽亚·加西亚"]),
        # a dot between places, countries or common words
        ("北京·上海高铁", []),
        ("他说：中·美关系很重要", []),
        # a compound surname: two characters of given name when a name's neighbour follows, else one
        ("感谢段干会的耐心等待", ["段干会"]),
        ("澳門子车达先生", ["子车达"]),
        ("尊敬的拓跋妹：您的订单", ["拓跋妹"]),
        # compound surnames that are common words too are not read ("东方", "第五")
        ("东方明珠很美，第五章", []),
        # a transliteration after thanks or "by", not a common word there
        ("会议纪要由洛根整理", ["洛根"]),
        ("由系统自动整理", []),
    ],
)
def test_chinese_names_by_a_dot_a_compound_surname_or_a_transliteration(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Slavic endings in lowercase; Czech and Polish ones beside a listed first name only
        ("gavrila peshkov will call", ["gavrila peshkov"]),
        ("jana červíková and Purwadi swapped shifts", ["jana červíková"]),
        ("je to růžová barva", []),
        # a surname and two initials
        ("Иванов И. И. подписал", ["Иванов И. И"]),
    ],
)
def test_names_by_their_shape(text, expected):
    assert [text[n.start : n.end] for n in find_names(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a listed surname's name right before a title or a greeting, after thanks, a cue word or nothing
        ("感谢陈淑华老师的帮助", ["陈淑华"]),
        ("孟晓东您好，您的包裹已签收", ["孟晓东"]),
        ("请夏侯明远先生到前台", ["夏侯明远"]),
        # a title is no name (a surname alone before one: see the next test)
        ("老师您好，请问作业", []),
        # two names joined by "and" before what is said of them; a place's or a body's name is no person
        ("孙悦和钱宏是同学", ["孙悦", "钱宏"]),
        ("中国和美国是伙伴", []),
    ],
)
def test_chinese_names_before_a_title_and_pairs_joined_by_and(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Traditional characters: a listed surname's name before a title; a surname alone before a title of address
        ("謝謝陳怡婷老師的推薦", ["陳怡婷"]),
        ("錢先生，請回電", ["錢"]),
        ("请张老师回电", ["张"]),
        ("我们的王老师", ["王"]),
        # a word that points at a person is no surname ("that gentleman", "the former boss"); a greeting needs a name
        ("那先生是谁", []),
        ("前老板来了", []),
        ("王您好", []),
    ],
)
def test_chinese_surnames_before_a_title_in_either_script(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a one-syllable surname beside a two-syllable given name, in lowercase, either order
        ("ROLL CALL 3B: tsai yu-hung present", ["tsai yu-hung"]),
        ("ROLL CALL 3B: meng-chien chen present", ["meng-chien chen"]),
        ("(operator chu ya-ying)", ["chu ya-ying"]),
        # reduplications and words with an English prefix are none; a function word is no surname
        ("the yo-yo man came", []),
        ("please re-ran the job", []),
        ("a yu-chun is here", []),
    ],
)
def test_chinese_names_romanized_in_lowercase(text, expected):
    assert [text[n.start : n.end] for n in find_names(text)] == expected


def test_long_unlisted_reads_six_unlisted_words_and_a_city_before_a_state_and_zip():
    def judged(text: str, words: int) -> bool:
        return long_unlisted(text, _tokens(text), 0, words - 1)

    assert judged("Tapati Rapa Nui Hanga Roa Rano Raraku", 7)
    assert not judged("Abdul Rahman Bin Hamad Al Thani", 6)  # listed names
    assert not judged("TAPATI RAPA NUI HANGA ROA RANO", 6)  # in capitals a line's words say nothing
    assert not judged("Tapati Rapa Nui Hanga", 4)
    assert judged("Pago Pago, AS 96799", 2)
    assert not judged("Pago Pago, AS 967990", 2)
