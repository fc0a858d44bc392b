"""Names their own shape marks, in any case and with no cue (part of
:func:`flyloop.privacy.pii_names.find_names`): a patronymic, a Slavic surname's ending beside another
word, a surname with its initials, a chat export's speaker, a pair with a surname in capitals, a Chinese
name in pinyin. Split from :mod:`.pii_name_rules` to keep each module readable."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache

from flyloop.privacy.pii_cues import (
    ADDRESS_AFTER,
    DETERMINED,
    NOT_NAMES,
    PERSON_SAID,
    PERSONAL_FIELD,
    VOCATIVE,
)
from flyloop.privacy.pii_places import EVENT_WORDS, PLACE_FIRST
from flyloop.privacy.pii_words import (
    _WORD_ENDING,
    PARTICLES,
    _joined,
    _Token,
    common_words,
    function_words,
    mandarin_syllable,
    name_lists,
    vocabulary,
)

# What a name's own shape says, in any case and with no cue: a patronymic (Russian, Ukrainian,
# Belarusian, Bulgarian), a surname with its initials, a speaker in a chat export, a Slavic surname's
# ending beside another word. Endings are kept long enough that no English word has them.
# (not the adjectives in "-tivna" of the languages beside them: "aktivna", "negativna")
_PATRONYMIC = re.compile(r"\w{3,}(?:ovich|evich|ovych|evych|ovna|evna|(?<!t)ivna|inichna|ович|евич|овна|евна|инична)$")
_SLAVIC_SURNAME = re.compile(r"\w{3,}(?:ova|eva|ov|ev|skiy|skaya|sky|enko|chuk|ова|ева|ов|ев|ский|ская|енко|чук)$")
# Czech, Slovak and Polish surnames' endings, which adjectives have too ("růžová", "česká"): beside a
# listed first name only ("jana červíková", "češková eliška")
_WEST_SLAVIC_SURNAME = re.compile(r"\w{3,}(?:ová|ská|ský|cká|cký|owski|owska|ewski|ewska|wicz)$")
# the same endings as tuples, a cheap first look at every word
_PATRONYMIC_ENDS = ("vich", "vych", "vna", "ichna", "вич", "вна", "инична")
_SLAVIC_ENDS: tuple[str, ...] = (
    "ova",
    "eva",
    "ov",
    "ev",
    "sky",
    "skiy",
    "skaya",
    "enko",
    "chuk",
    # Czech and Slovak, Polish
    "ová",
    "ská",
    "ský",
    "cká",
    "cký",
    "owski",
    "owska",
    "ewski",
    "ewska",
    "wicz",
    "ова",
    "ева",
    "ов",
    "ев",
    "ский",
    "ская",
    "енко",
    "чук",
)
_ANY_ENDS = _PATRONYMIC_ENDS + _SLAVIC_ENDS
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
# "Иванов И. И.", "Boboritskaya Z. A.", "AZARSKIY I.I.": a surname, then two initials
_SURNAME_INITIALS = re.compile(rf"(?<![\w.])[{_UPPER}][\w'’\-]+[ \t]+[{_UPPER}]\.[ \t]?[{_UPPER}]\.")
# "И. И. Иванов", "S. LEONARDOV", "I. Podolneva": one or two initials (spaced: "U.S. Army" is no
# name), then a surname; not after a letter or a full stop
_INITIALS_SURNAME = re.compile(rf"(?<![\w.])(?:[{_UPPER}]\.[ \t]){{1,2}}[ \t]*[{_UPPER}][\w'’\-]+")
# what may not stand before a single initial and its surname: the start of a sentence or line ("A.
# Glossary" heads a section), nor a capitalized word ("Appendix A. Glossary", "Plan B. Results")
_LAST_WORD = re.compile(r"[\w'’\-]+$")
# "a. mashnenkova": an initial and a Slavic surname, both in lowercase
_LOWER_INITIAL_SURNAME = re.compile(r"(?<![\w.])[a-zа-яё]\.[ \t](?=\w{6})")
# "[12:04] Gordey: ...", "[09:15:02 PM] Ana Lima: ...", "12/03/24, 12:04 - Ana Lima: ...": a speaker
_CHAT_SPEAKER = re.compile(
    r"(?m)^[ \t]*(?:\[[^\]\n]{0,12}\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]*[APap][Mm])?\]|"
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4},?[ \t]+\d{1,2}:\d{2}(?:[ \t]*[APap][Mm])?[ \t]+[-–])"
    r"[ \t]*(?P<who>[^\W\d_][^\n:\[\]]{0,40}?):[ \t]"
)


# vowels of the Latin letters names are written in
_VOWEL = re.compile(r"[AEIOUYÀ-ÆÈ-ÏÒ-ÖØ-ÜİŐŰ]")


# the start of a line, after a list's number or bullet if any ("1. PROMPT REFINEMENT")
_LINE_HEAD = re.compile(r"(?:^|\n)[ \t]*(?:[-*•#]+|\d+[.)])?[ \t]*$")


def _surname_in_capitals(word: str) -> bool:
    """Four letters or more, a third of them vowels, no English ending, no Roman numeral: acronyms
    ("API", "ZDNET", "HTTP", "WWII") and headings are not written like names."""
    key = word.lower()
    english = _WORD_ENDING.search(key) is not None or key.endswith(("ment", "ness", "ii"))
    return len(word) >= 4 and 3 * len(_VOWEL.findall(word)) >= len(word) and not english


def _mixed_pair(text: str, tokens: list[_Token], i: int) -> bool:
    """Tokens ``i`` and ``i + 1``: a capitalized word and one in capitals, in either order, as forms and
    many countries write a surname; alone (no capitalized word joined before or after: a title), neither a
    common word."""
    # "Rakite BAYANA", "YAMAGATA Yoshiteru", "Algün KARAMAHMUTOĞLU"; not "Open API Gateway"
    a, b = tokens[i], tokens[i + 1]
    if a.caseless or b.caseless or not (a.capitalized and b.capitalized) or not _joined(text, a, b):
        return False
    words = (text[a.start : a.end], text[b.start : b.end])
    shapes = [w.isupper() for w in words]
    if shapes[0] and shapes[1]:  # both in capitals, inside a line of a text not in capitals: no heading
        if not all(_surname_in_capitals(w) for w in words) or not any(c.islower() for c in text):
            return False
        if _LINE_HEAD.search(text, max(0, a.start - 8), a.start) is not None:
            return False
    elif shapes[0] or shapes[1]:
        caps, title = (words[0], words[1]) if shapes[0] else (words[1], words[0])
        if not _surname_in_capitals(caps) or len(title) < 2 or not title[1:].islower():
            return False
    else:
        return False
    n = len(tokens)
    for k in (i - 1, i + 2):
        if 0 <= k < n and tokens[k].capitalized and _joined(text, tokens[min(k, i + 1)], tokens[max(k, i)]):
            return False
    return all(len(t.key) >= 2 and _name_word(t) for t in (a, b))


def _name_word(tok: _Token) -> bool:
    """A word that may be part of a name: no function word, common word or acronym-length word."""
    return len(tok.key) >= 2 and tok.key not in NOT_NAMES and tok.key not in common_words() and not tok.common


def shaped_names(text: str, tokens: list[_Token], taken: list[bool], emit: Callable[[int, int], None]) -> None:
    """Mark the names ``tokens`` hold by their shape alone (see above), in any case."""
    n = len(tokens)
    # what each text pays: a look at its tokens' endings; the regular expressions run where they can match
    dotted = "." in text and any(t.end - t.start == 1 and text[t.end : t.end + 1] == "." for t in tokens)
    chat = ":" in text and ("]" in text or " - " in text or " – " in text)
    if dotted or chat:
        _initials_and_speakers(text, tokens, taken, emit, dotted, chat)
    # a word in capitals of four letters or more, then the pairs it makes with the word before and after
    shouted = [
        k for k, t in enumerate(tokens) if t.end - t.start >= 4 and t.capitalized and text[t.start + 1].isupper()
    ]
    for k in sorted({p for s in shouted for p in (s - 1, s) if 0 <= p < n - 1}) if shouted else ():
        if not (taken[k] or taken[k + 1]) and _mixed_pair(text, tokens, k):
            emit(k, k + 2)
    hits = [k for k, t in enumerate(tokens) if t.key.endswith(_ANY_ENDS)]
    for i in sorted({k for h in hits for k in (h - 1, h) if k >= 0}) if hits else ():
        tok = tokens[i]
        if taken[i] or tok.caseless:
            continue
        if tok.key.endswith(_PATRONYMIC_ENDS) and len(tok.key) >= 7 and _PATRONYMIC.match(tok.key):
            lo = i - 1 if i > 0 and not taken[i - 1] and _joined(text, tokens[i - 1], tok) else i
            lo = lo if lo < i and _name_word(tokens[lo]) and tokens[lo].key not in function_words() else i
            hi = i + 1
            if hi < n and not taken[hi] and _joined(text, tok, tokens[hi]) and _name_word(tokens[hi]):
                hi += 1
            emit(lo, hi)
            continue
        if (
            i + 1 >= n
            or taken[i + 1]
            or not (tok.key.endswith(_SLAVIC_ENDS) or tokens[i + 1].key.endswith(_SLAVIC_ENDS))
        ):
            continue
        # two words in one case, lowercase or capitals, one with a Slavic surname's ending
        # ("gavrila peshkov", "CHVAREVA ROZALIYA"); Title Case runs are read elsewhere
        b = tokens[i + 1]
        same_case = (not tok.capitalized and not b.capitalized) or (
            text[tok.start : tok.end].isupper() and text[b.start : b.end].isupper()
        )
        if (
            same_case
            and not b.caseless
            and _joined(text, tok, b)
            and all(len(t.key) >= 3 and _name_word(t) for t in (tok, b))
            and (
                any(len(t.key) >= 6 and _SLAVIC_SURNAME.match(t.key) for t in (tok, b))
                or any(_WEST_SLAVIC_SURNAME.match(t.key) and o.first for t, o in ((tok, b), (b, tok)))
            )
        ):
            emit(i, i + 2)


def _initials_and_speakers(
    text: str, tokens: list[_Token], taken: list[bool], emit: Callable[[int, int], None], dotted: bool, chat: bool
) -> None:
    """Surnames with initials and a chat export's speakers (see above)."""
    n = len(tokens)
    starts = {t.start: k for k, t in enumerate(tokens)}
    ends = {t.end: k for k, t in enumerate(tokens)}

    def span(start: int, end: int, more: bool = False) -> None:
        lo, hi = starts.get(start), ends.get(end)
        # after initials, the capitalized words that follow belong to the surname ("A. El Ghawwab")
        while (
            more
            and hi is not None
            and hi + 1 < n
            and not taken[hi + 1]
            and tokens[hi + 1].capitalized
            and _joined(text, tokens[hi], tokens[hi + 1])
            and (_name_word(tokens[hi + 1]) or tokens[hi + 1].key in PARTICLES)
        ):
            hi += 1
        if lo is not None and hi is not None and not any(taken[lo : hi + 1]):
            if all(_name_word(tokens[k]) or tokens[k].end - tokens[k].start == 1 for k in range(lo, hi + 1)):
                emit(lo, hi + 1)

    if dotted:
        for pattern in (_SURNAME_INITIALS, _INITIALS_SURNAME):
            for m in pattern.finditer(text):
                single = pattern is _INITIALS_SURNAME and m.group().count(".") == 1
                before = text[max(0, m.start() - 40) : m.start()].rstrip(" \t")
                word = _LAST_WORD.search(before)
                if single and (not before or before[-1] in ".!?\n" or (word is not None and word.group()[0].isupper())):
                    continue
                last = m.group().rstrip(".")
                span(m.start(), m.start() + len(last), more=pattern is _INITIALS_SURNAME)
        for m in _LOWER_INITIAL_SURNAME.finditer(text):
            k = starts.get(m.end())
            if k is not None and not tokens[k].capitalized and _SLAVIC_SURNAME.match(tokens[k].key):
                span(m.start(), tokens[k].end)
    if chat:
        for m in _CHAT_SPEAKER.finditer(text):
            span(m.start("who"), m.end("who"))


# A Chinese name in pinyin (no tones): a syllable's initial and final, one to three syllables a word
_SYLLABLE = (
    r"(?:(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|iao|ian|ing|uai|uan|ang|eng|ong|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue|a|o|e|i|u))"
)
_PINYIN = re.compile(rf"{_SYLLABLE}{{1,3}}")
_ONE_SYLLABLE = re.compile(_SYLLABLE)
# what English words rarely have and pinyin often does: x, q (not qu+vowel), zh, a word ending in ao, ui or iu
_PINYIN_MARK = re.compile(r"x|q(?!u[aeiou])|zh|(?:ao|ui|iu)$")
# where such a pair can be: a surname in capitals before a capitalized word, or a letter pinyin marks
_CAPS_BEFORE_WORD = re.compile(r"\b[A-Z]{2,6}[ \t]+[A-Z][a-z]")
_PINYIN_HINT = re.compile(r"\b[A-Z]{2,6}[ \t]+[A-Z][a-z]|[xq]|zh|(?:ao|ui|iu)\b")


def pinyin_names(text: str, tokens: list[_Token], taken: list[bool], emit: Callable[[int, int], None]) -> None:
    """Chinese names romanized: a surname of one syllable in capitals before a capitalized given name, or
    two lowercase words of pinyin, one of them marked as pinyin (see above); the given name no common word,
    neither word a function word."""
    # "FEI Woxin", "ZHANG Wei"; "liang xun", "bao huaishui"
    if not text.isascii() or _PINYIN_HINT.search(text) is None:
        return
    n = len(tokens)
    index = {t.start: k for k, t in enumerate(tokens)}
    caps = [index[m.start()] for m in _CAPS_BEFORE_WORD.finditer(text) if m.start() in index]
    marked = [k for k, t in enumerate(tokens) if _PINYIN_MARK.search(t.key) and not t.capitalized]
    for i in sorted({*caps, *(p for k in marked for p in (k - 1, k) if 0 <= p < n - 1)}):
        a, b = tokens[i], tokens[i + 1]
        if taken[i] or taken[i + 1] or not _joined(text, a, b):
            continue
        first, second = text[a.start : a.end], text[b.start : b.end]
        if first.isupper() and 2 <= len(first) <= 6 and second[0].isupper() and second[1:].islower():
            if not (_ONE_SYLLABLE.fullmatch(a.key) and _PINYIN.fullmatch(b.key) and _name_word(b)):
                continue
            if i + 2 < n and tokens[i + 2].capitalized and _joined(text, b, tokens[i + 2]):
                continue  # "NEW York City": a capitalized run goes on
            emit(i, i + 2)
        elif first.islower() and second.islower() and len(a.key) >= 2 and len(b.key) >= 2:
            if not (_PINYIN.fullmatch(a.key) and _PINYIN.fullmatch(b.key)):
                continue
            if not (_PINYIN_MARK.search(a.key) or _PINYIN_MARK.search(b.key)):
                continue
            if not any(a.key in s or b.key in s for s in (NOT_NAMES, common_words())) and not (a.common or b.common):
                emit(i, i + 2)


def romanized_pairs(text: str, tokens: list[_Token], taken: list[bool], emit: Callable[[int, int], None]) -> None:
    """A Chinese name in lowercase: a surname of one syllable beside a given name of two joined by a hyphen
    (one :func:`~flyloop.privacy.pii_words.romanized_given` calls a first name), in either order ("tsai
    yu-hung", "meng-chien chen"); the surname no function word."""
    for k, tok in enumerate(tokens):
        if taken[k] or tok.capitalized or "-" not in tok.key or not tok.first or tok.common:
            continue
        for a, b in ((k - 1, k), (k, k + 1)):
            other = a if b == k else b
            if not 0 <= other < len(tokens) or taken[other] or not _joined(text, tokens[a], tokens[b]):
                continue
            word = tokens[other]
            if (
                not word.capitalized
                and len(word.key) >= 2
                and mandarin_syllable(word.key)
                and word.key not in NOT_NAMES
                and word.key not in function_words()
            ):
                emit(a, b + 1)
                break


# Chinese. The characters Chinese writes foreign names with (the standard transliteration tables'
# syllables: 阿 for "a", 克 for "k", 斯 for "s", ...), and the compound surnames (复姓) that no common
# word shares ("欧阳", "司马"; not "东方", "第五", "西门", which are words too).
_TRANSLIT = frozenset(
    "阿埃艾爱安昂奥巴拜班邦保鲍贝本比彼毕宾波伯博布查达戴黛丹道德登迪蒂丁东杜多厄恩尔法凡范菲费芬丰弗福富盖甘冈"
    "高戈格贡古瓜圭哈海汉豪赫亨胡华惠霍基吉季加贾杰金卡凯坎康考柯科克肯库夸奎昆拉莱兰朗劳勒雷蕾黎里利莉丽林琳卢"
    "鲁路伦罗洛马玛迈麦曼芒梅门蒙米密明缪莫默姆穆纳娜奈南内尼妮涅宁纽努诺欧帕派潘庞佩彭皮普齐奇乔切琴丘萨塞桑瑟"
    "森沙莎尚舍圣施什史舒斯松苏索塔泰坦汤唐特滕提图托瓦万旺威韦维温沃乌武西希锡夏谢辛休许雅亚扬杨耶叶伊因尤于约"
    "泽扎詹兹祖佐琼丝娅薇娃琪萝露芙赛茨夫列娜莲妲阮蓓茜璐缇朵诗各翰得英若热根斐京孔烈朱逊雨果"
)
_COMPOUND_SURNAMES = (
    "欧阳|太史|端木|上官|司马|独孤|南宫|万俟|闻人|夏侯|诸葛|尉迟|公羊|赫连|澹台|皇甫|宗政|濮阳|公冶|太叔|申屠|公孙|慕容|"
    "仲孙|钟离|长孙|宇文|司徒|鲜于|司空|闾丘|子车|亓官|司寇|巫马|公西|颛孙|壤驷|公良|漆雕|乐正|宰父|谷梁|拓跋|夹谷|"
    "轩辕|令狐|段干|呼延|羊舌|微生|梁丘|左丘|公伯|公祖|公乘|南荣|即墨|达奚|褚师"
)
# A name in Chinese with a middle dot between its parts ("约翰·史密斯"), or a compound surname and a
# given name of one or two characters
_DOTTED_HAN = re.compile(r"[\u4e00-\u9fff]+(?:[·・‧•][\u4e00-\u9fff]+){1,2}")
_COMPOUND_NAME = re.compile(rf"(?:{_COMPOUND_SURNAMES})[\u4e00-\u9fff]{{1,2}}")
# What may follow a given name in running text: a particle, a verb or a word that starts a clause
# ("司马静明天出差": 司马静, then "tomorrow"; "长孙琛整理": then "put in order")
_AFTER_HAN_NAME = frozenset(
    "的整和与跟先女明昨今已在是说将于请您出来去了也都就还又把被给对向从同及等们與說將於請來還給對從們"
)
# What may come right before a name: thanks, "by", "to", "and", a possessive's 的 ("感谢...", "由...整理")
_BEFORE_HAN_NAME = frozenset("由给和与跟向被请把的是在对为叫将及同让給與請對為將讓")
# thanks, "by" or a mention before a name written only with transliteration's characters, up to a
# possessive, "put in order" or punctuation ("感谢维多利亚的耐心", "由布鲁克整理", "@塞琳 麻烦")
_HAN_THANKS = frozenset(("感谢", "谢谢", "多谢", "致谢", "感謝", "謝謝", "多謝", "致謝"))
_CUED_TRANSLIT = re.compile(r"(?:感谢|谢谢|多谢|由)([\u4e00-\u9fff]{2,6}?)(?=的|整理|[，,。！!：:\s]|$)")


# What follows a Chinese name as a title or a greeting ("王芳老师", "李明先生", "韦碧恬您好")
# (and in Traditional characters: "陳老師", "王經理")
_HAN_TITLES = re.compile(
    "老师|先生|女士|小姐|同学|经理|医生|大夫|教授|律师|主任|总监|阿姨|师傅|博士|同志|老板|您好|你好|"
    "老師|同學|經理|醫生|律師|總監|師傅|老闆"
)
# Two names joined by "and" at the start of a clause, before what is said of them ("冀维和邬芷蕊是同事")
_HAN_PAIR = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,4}?)[和与跟]([\u4e00-\u9fff]{2,4}?)"
    r"(?=是|都|一起|同时|已经|正在|今天|明天|昨天|在|去|将|[，,。！!])"
)
# The last character of a place's or a body's name, never a person's ("中国和美国是...")
_HAN_NOT_NAME_END = frozenset("国省市县区州岛山河湖江海村镇路街司院校行馆局部厂店队会组國縣區島鎮館廠隊會組")
# Words that point at a person before a title, surnames too elsewhere ("那先生": that gentleman; "前老板": the
# former boss)
_HAN_DETERMINERS = frozenset("这這那此该該本各每某其前后後新原现現一")
# Function characters no given name is written with ("钱宏是同学": 钱宏, then "is"), and the measure words of
# people ("这位先生", "那位女士": this gentleman, that lady)
_HAN_FUNCTION = frozenset("是的了在说将于也都就还又把被给对向从及等们和与跟說將於還給對從們與位个個")


@lru_cache(maxsize=1)
def _han_surnames() -> frozenset[str]:
    """The listed surnames of one Han character (Chinese ones, and Japanese ones written so)."""
    return frozenset(w for w in name_lists()[1] if len(w) == 1 and _han(w))


def _han_person(text: str, lo: int, hi: int) -> bool:
    """Whether ``text[lo:hi]`` reads as a Chinese surname and a given name of one or two characters."""
    word = text[lo:hi]
    if not all(_han(c) for c in word) or word[-1] in _HAN_NOT_NAME_END or _HAN_TITLES.fullmatch(word):
        return False
    if any(c in _HAN_FUNCTION for c in word[1:]):
        return False
    if _COMPOUND_NAME.fullmatch(word):
        return True
    return 2 <= len(word) <= 3 and word[0] in _han_surnames()


def _titled_han(text: str) -> list[tuple[int, int]]:
    """A surname and a given name right before a title or a greeting, or a surname alone before a title,
    where a name may start: at the text's start, after punctuation or another script, thanks or a word that
    comes before a name ("谢谢姚怀盈老师的推荐信" -> 姚怀盈, "韦碧恬您好" -> 韦碧恬, "錢先生，請回電" -> 錢)."""
    out = []
    for m in _HAN_TITLES.finditer(text):
        hi = m.start()
        # a surname alone before a title of address ("錢先生", "王老师": Mr Qian, teacher Wang), not a greeting
        for size in (4, 3, 2, 1) if m.group() not in ("您好", "你好") else (4, 3, 2):
            lo = hi - size
            if lo < 0 or not (
                _han_person(text, lo, hi)
                or (size == 1 and text[lo] in _han_surnames() and text[lo] not in _HAN_DETERMINERS)
            ):
                continue
            before = text[lo - 1] if lo else ""
            if _han(before) and before not in _BEFORE_HAN_NAME and text[max(0, lo - 2) : lo] not in _HAN_THANKS:
                continue
            out.append((lo, hi))
            break
    return out


def han_names(text: str) -> list[tuple[int, int]]:
    """Spans of Chinese names a dot, a compound surname, a cue with a transliteration, a title after a
    listed surname's name or a pair joined by "and" marks, in running text with no spaces: "感谢迪特尔·弗兰克尔的耐心"
    -> 迪特尔·弗兰克尔, "会议纪要由长孙琛整理" -> 长孙琛, "感谢维多利亚的耐心" -> 维多利亚, "谢谢姚怀盈老师" -> 姚怀盈,
    "冀维和邬芷蕊是同事" -> 冀维, 邬芷蕊."""
    out = []
    for m in _DOTTED_HAN.finditer(text):
        start, end = m.span()
        first_dot = min(i for i in range(start, end) if not _han(text[i]))
        last_dot = max(i for i in range(start, end) if not _han(text[i]))
        # out from the dots up to a word that comes before or after a name, six characters a side at most
        lo = first_dot
        while lo > max(start, first_dot - 6) and text[lo - 1] not in _BEFORE_HAN_NAME:
            lo -= 1
        while text[lo : lo + 2] in _HAN_THANKS and lo + 2 < first_dot:  # "感谢谢尔盖·...": thanks, then 谢尔盖
            lo += 2
        hi = last_dot + 1
        while hi < min(end, last_dot + 9) and text[hi] not in _AFTER_HAN_NAME:
            hi += 1
        # a transliteration's characters beside each dot and in half the name at least ("中·美关系", "北京·上海"
        # are no names)
        chars = [c for c in text[lo:hi] if _han(c)]
        if (
            lo < first_dot
            and hi > last_dot + 1
            and all(text[i - 1] in _TRANSLIT and text[i + 1] in _TRANSLIT for i in range(lo, hi) if not _han(text[i]))
            and 2 * sum(c in _TRANSLIT for c in chars) >= len(chars)
        ):
            out.append((lo, hi))
    for m in _CUED_TRANSLIT.finditer(text):
        if all(c in _TRANSLIT for c in m.group(1)) and not any(a <= m.start(1) < b for a, b in out):
            out.append(m.span(1))
    for lo, hi in _titled_han(text):
        if not any(a <= lo < b for a, b in out):
            out.append((lo, hi))
    for m in _HAN_PAIR.finditer(text):
        if _han_person(text, *m.span(1)) and _han_person(text, *m.span(2)):
            out += [span for span in (m.span(1), m.span(2)) if not any(a <= span[0] < b for a, b in out)]
    for m in _COMPOUND_NAME.finditer(text):
        start, end = m.span()
        if any(a <= start < b for a, b in out):
            continue
        # two characters of given name when what follows them may follow a name, else one
        if end - start == 4 and (end == len(text) or text[end] in _AFTER_HAN_NAME or not _han(text[end])):
            out.append((start, end))
        elif text[start + 2] not in _AFTER_HAN_NAME:
            out.append((start, start + 3))
    return out


def _han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def caps_then_given(text: str, tokens: list[_Token], i: int) -> bool:
    """Whether ``tokens[i]`` starts a form's name as French, Italian and Swiss offices write it: one to three
    surnames in capitals (particles too: "DA GAMA", "LUIZ DA CRUZ", "OTTL"), then a given name with only its first
    letter a capital ("Islia", "Taras"), no common word; right after a field that holds a person's name only
    ("Cognome e nome:", not "Name:", which may name a product: "Name: AWS Lambda")."""
    if PERSONAL_FIELD.search(text, max(0, tokens[i].start - 40), tokens[i].start) is None:
        return False
    n = len(tokens)
    k = i
    while k < n and k < i + 3 and _caps(text, tokens[k]) and (k == i or _joined(text, tokens[k - 1], tokens[k])):
        k += 1
    if k == i or k >= n or not _joined(text, tokens[k - 1], tokens[k]) or not _caps(text, tokens[i]):
        return False
    given = tokens[k]
    word = text[given.start : given.end]
    return (
        word[:1].isupper()
        and word[1:].islower()
        and len(word) >= 3
        and given.key not in NOT_NAMES
        and (given.first or (not given.common and given.key not in common_words()))
        and any(tokens[m].key not in PARTICLES for m in range(i, k))
    )


def _caps(text: str, tok: _Token) -> bool:
    word = text[tok.start : tok.end]
    return len(word) >= 2 and word.isupper() and word.isalpha()


# (a listed name that is a common word too, or a word no list holds: "Co-authored-by: Ever Sosa <...>"; not a
# team's words: "From: Billing Team <...>")
def mailbox_name(text: str, tokens: list[_Token], i: int) -> int:
    """Where a mailbox's display name that starts at ``tokens[i]`` ends (an index past its last word), or 0: two
    to four capitalized words right before an address in angle brackets, each a listed first name or surname
    (a common word too or not) or a word no list holds; a team's or a firm's words are no name. Read after a
    trailer's or a header's cue only."""
    n = len(tokens)
    j = i
    while j < n and j < i + 4 and (j == i or _joined(text, tokens[j - 1], tokens[j])):
        tok = tokens[j]
        if not (tok.capitalized and (tok.first or tok.last or tok.listed or not tok.common)):
            return 0
        if tok.key in NOT_NAMES and not (tok.first or tok.last):
            return 0
        j += 1
        if ADDRESS_AFTER.match(text, tokens[j - 1].end) is not None:
            return j if j - i >= 2 else 0
    return 0


# A US state's or territory's code and a ZIP code after a comma: what stands before them is a city ("Pago Pago, AS
# 96799", "Honolulu, HI 96817")
_STATE_ZIP_AFTER = re.compile(r",[ \t]*[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?(?!\d)")


def long_unlisted(text: str, tokens: list[_Token], lo: int, hi: int) -> bool:
    """Six capitalized words or more in a row, none in lowercase between them and not in capitals, at most one of
    them a listed name: a line of places or feasts, not a person ("Tapati Rapa Nui Hanga Roa Rano Raraku Orongo";
    "Abdul Rahman Bin Hamad Al Thani" is listed; two names joined by a lowercase "y" or "e" are two runs); or words
    no list holds before a state's code and a ZIP code."""
    return (
        hi - lo >= 5
        and all(tokens[k].capitalized for k in range(lo, hi + 1))
        and not text[tokens[lo].start : tokens[hi].end].isupper()
        and sum(tokens[k].listed for k in range(lo, hi + 1)) <= 1
    ) or (
        # no list holds a word of it and a state's code and a ZIP code follow: a city
        not any(tokens[k].listed for k in range(lo, hi + 1))
        and _STATE_ZIP_AFTER.match(text, tokens[hi].end) is not None
    )


def vocative_cues(text: str, tokens: list[_Token], cues: dict[int, bool]) -> None:
    """A line that opens with a few words (a greeting or thanks in any language) and ends its first clause with "!"
    or "?" on one or two capitalized words that no list knows as English: those words are the name of the one it
    calls out to."""
    # ("Tenkyu tru, Tiyana!", "Yewo chomene Obriel!", "Mu zuhile cwañi, Dumezweni?")

    def called(tok: _Token) -> bool:
        return tok.capitalized and (
            tok.listed or not (tok.common or tok.key in vocabulary() or tok.key in common_words())
        )

    starts = [t.start for t in tokens]
    for m in VOCATIVE.finditer(text):
        # the clause's words, found by bisection: a long text of short lines calls this once a line
        lo, hi = bisect.bisect_left(starts, m.start()), bisect.bisect_right(starts, m.end())
        inside = [t for t in tokens[lo:hi] if t.end <= m.end()]
        if not 2 <= len(inside) <= 6 or not called(inside[-1]):
            continue
        k = len(inside) - 1
        # the cue starts where the run of capitalized words does, whatever its first words are ("Salibonani, Kapono
        # Aukai!", "Avuxeni Charity Tauro!"), an opening word left before them
        # and over a particle between two of its words ("Kopivosian Izzat bin Asri!")
        while k >= 2 and text[inside[k - 1].end : inside[k].start] == " ":
            if inside[k - 1].capitalized:
                k -= 1
            elif (
                k >= 3
                and inside[k - 1].key in PARTICLES
                and inside[k - 2].capitalized
                and text[inside[k - 2].end : inside[k - 1].start] == " "
            ):
                k -= 2
            else:
                break
        # a comma sets the name apart; without one, "!" after two opening words or a name of two ("Yewo chomene
        # Obriel!", "Avuxeni Kapono Aukai!"; not "What is Kubernetes?", "Get Viagra!")
        if any(t.key in EVENT_WORDS or t.key in PLACE_FIRST for t in inside[k:]):
            continue  # a feast or a place hailed ("Kotobian Tadau Kaamatan!")
        comma = text[inside[k - 1].end : inside[k].start].strip() == ","
        # no comma in the opening either ("Linux, always Linux!"), and no determiner before the words ("Get the
        # Viagra!")
        bare = "," not in text[m.start() : inside[k].start] and not DETERMINED.search(text, m.start(), inside[k].start)
        if comma or (bare and text[m.end() - 1] == "!" and (k >= 2 or k < len(inside) - 1)):
            cues.setdefault(inside[k].start, False)


def said_pairs(text: str, tokens: list[_Token], taken: list[bool], emit: Callable[[int, int], None]) -> None:
    """Lowercase pairs no list holds, followed by what only a person does ("jalol abdulhamidov said") or
    an e-mail address in brackets."""
    said = {m.start() for m in PERSON_SAID.finditer(text)}
    if "@" in text:
        said |= {m.start() for m in ADDRESS_AFTER.finditer(text)}
    for i in (k - 1 for k in range(1, len(tokens)) if tokens[k].end in said) if said else ():
        a, b = tokens[i], tokens[i + 1]
        if taken[i] or taken[i + 1] or a.capitalized or b.capitalized or a.caseless or b.caseless:
            continue
        if _joined(text, a, b) and all(
            len(t.key) >= 3 and t.key not in NOT_NAMES and t.key not in common_words() and not t.common for t in (a, b)
        ):
            emit(i, i + 2)
