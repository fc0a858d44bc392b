"""The word layer of the name detector (flyloop.privacy.pii_words): what a word is, what the lists
say of each token, and when two tokens join into one name."""

from __future__ import annotations

from flyloop.privacy.pii_words import (
    CJK_JOINER,
    WORD,
    _joined,
    _tokens,
    _unspaced_clause,
    common_words,
    dotted_initials,
    first_of_full_name,
    foreign_conjunction,
    name_lists,
    place_names,
    vocabulary,
)


def test_a_word_keeps_its_combining_marks_apostrophes_and_hyphens():
    assert WORD.findall("राहुल O'Neill-Jones 42 x_y") == ["राहुल", "O'Neill-Jones", "x", "y"]


def test_tokens_say_what_the_lists_know_and_drop_a_possessive():
    maria, garcia, will, sep = _tokens("Maria Garcia's Will 8 Sep")
    assert (maria.key, maria.first, maria.listed) == ("maria", True, True)
    assert (garcia.key, garcia.end, garcia.last) == ("garcia", 12, True)  # without the 's
    assert (will.common, will.listed) == (True, False)  # a name that is also a common word
    assert (sep.key, sep.capitalized, sep.first, sep.last) == ("sep", False, False, False)  # a date


def test_joined_takes_one_space_or_an_initials_dot():
    text = "J. Smith  Lee, Ann"
    j, smith, lee, ann = _tokens(text)
    assert [_joined(text, j, smith), _joined(text, smith, lee), _joined(text, lee, ann)] == [True, True, False]


def test_a_fathers_initial_of_two_letters_joins_a_surname_after_it():
    text = "Andreas Ch. Georgiou, Ph. D"
    andreas, ch, georgiou, ph, d = _tokens(text)
    assert (ch.digraph_initial, ph.digraph_initial, andreas.digraph_initial) == (True, True, False)
    # not before a letter alone ("Ph. D")
    assert [_joined(text, andreas, ch), _joined(text, ch, georgiou), _joined(text, ph, d)] == [True, True, False]


def test_initials_run_together_by_their_full_stops():
    texts = ("I.N. Mashabela", "I. N. Mashabela", "A.M.")
    assert [dotted_initials(t, _tokens(t), 0) for t in texts] == [True, False, True]


def test_a_first_name_that_is_a_function_word_starts_a_full_name_before_an_initial_or_a_name():
    texts = ("Kære May A. Ringdal", "Kære May Ringdal", "Kære May the best")
    assert [first_of_full_name(t, _tokens(t), 1) for t in texts] == [True, True, False]


def test_a_function_word_of_another_language_between_two_of_its_words_is_no_first_name():
    texts = ("halloumi kai lountza", "tell kai lountza", "halloumi kai garcia")
    assert [foreign_conjunction(t, _tokens(t), 1) for t in texts] == [True, False, False]
    # not where an introduction says a name follows (South Slavic's "ali" inside a name after "signed for by")
    text = "signed for by nereen demma ali kashout"
    assert foreign_conjunction(text, _tokens(text), 5) is False


def test_a_lone_east_asian_character_between_two_words_of_another_script_joins_them():
    found = [m.group() for m in CJK_JOINER.finditer("Tom 和 Jerry; Tom和Jerry; 山田 和 田中; Anna と Ben; 和 Ben")]
    # between two Han names it is part of their script's text, and at the start it joins nothing
    assert found == [" 和 ", "和", " と "]


def test_the_vocabulary_holds_english_words_and_no_listed_name():
    first, last, common = name_lists()
    words = vocabulary()
    assert {"sequence", "immutable", "types", "homeowner", "waterfall"} <= words  # "types": the stem is "type"
    assert not words & (first | last | common | common_words())  # four kinds that never overlap
    assert "john" not in words and "marielle" not in words
    assert 30_000 < len(words) < 60_000


def test_places_and_languages_among_the_names():
    first, last, common = name_lists()
    assert {"israel", "sofia", "florida", "jordan"} <= place_names() <= first | last
    assert not place_names() & common
    # a surname and no first name that is also a language or a place is a word first
    assert {"english", "madrid"} <= common and not {"english", "madrid"} & place_names()
    assert "shona" in first and "shona" not in common  # a first name that is a language stays a name


def test_a_capital_then_an_apostrophe_is_a_name_prefix_not_a_product():
    from flyloop.privacy.pii_names import find_names
    from flyloop.privacy.pii_words import _product_like

    assert [_product_like(w) for w in ("O'neal", "D’souza", "O'Neill", "JSON", "IDs", "OpenAI", "Maria")] == [
        False, False, False, True, True, True, False,
    ]  # fmt: skip
    text = "Sima O'neal said the refund goes to card 5503."
    assert [text[n.start : n.end] for n in find_names(text)] == ["Sima O'neal"]


def test_khmer_lao_and_burmese_words_keep_their_vowel_signs_and_a_long_unspaced_word_is_a_clause():
    assert WORD.findall("ឈ្មោះ៖ ឃិន សុវណ្ណ ສະບາຍດີ ທ່ານ မင်္ဂလာပါ") == ["ឈ្មោះ", "ឃិន", "សុវណ្ណ", "ສະບາຍດີ", "ທ່ານ", "မင်္ဂလာပါ"]
    text = "សួស្តី តាំង ការបញ្ជាទិញរបស់អ្នកបានដឹកជញ្ជូនហើយ"
    assert [_unspaced_clause(text, t) for t in _tokens(text)] == [False, False, True]


def test_a_chinese_given_name_of_two_syllables_is_a_first_name_by_its_shape():
    from flyloop.privacy.pii_words import mandarin_syllable, romanized_given

    # pinyin and Wade-Giles syllables (apostrophes dropped); g, k, h, f take no final in i
    assert [mandarin_syllable(s) for s in ("hsiang", "chih", "tzu", "ssu", "yueh", "zhuang", "hi", "fi", "wi")] == [
        True, True, True, True, True, True, False, False, False,
    ]  # fmt: skip
    # two syllables joined by a hyphen; not both English words ("man-ling"), no loanword; the pronoun "i" counts
    assert [romanized_given(k) for k in ("chia-kai", "i-ching", "hsin-hsin", "man-ling", "tai-chi", "re-run")] == [
        True, True, True, False, False, True,
    ]  # fmt: skip
    text = "Chia-kai, I-TING, yu-chun, yo-yo, re-ran, Hi-Fi"
    # capitalized, or in lowercase two syllables that differ and no English prefix
    assert [t.first for t in _tokens(text)] == [True, True, True, False, False, False]


def test_the_list_holds_chinese_surnames_in_traditional_characters_too():
    _, last, _ = name_lists()
    # Simplified from the Chinese locales, Traditional made from them; a Japanese surname is not converted
    assert {"陈", "陳", "黄", "黃", "欧阳", "歐陽", "钱", "錢"} <= last
    assert "一條" not in last
