"""Text for search: a length-preserving fold, per-character pinyin, and query parsing."""
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

import jieba
from pypinyin import lazy_pinyin
from pypinyin.contrib.tone_convert import to_normal
from pypinyin.pinyin_dict import pinyin_dict

jieba.setLogLevel(logging.WARNING)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
NON_WORD = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_RUN = re.compile(r"[0-9a-z]+")
# Words that say how someone asks, not what they ask about: "怎么办居住证" is about 居住证. Residents ask at
# the window in whole sentences ("请问我家里明年要去哪里办…"), so pronouns, time and politeness go too.
STOPWORDS = frozenset((
    "怎么", "怎样", "如何", "哪里", "在哪", "在哪里", "哪儿", "什么", "我", "我要", "我想", "想", "要", "的", "了",
    "吗", "呢", "啊", "吧", "和", "与", "及", "办", "办理", "需要", "可以", "能", "去", "在", "请问", "问", "一下",
    "怎么办", "怎么样", "怎么弄", "咋", "咋办", "哪个", "哪些", "哪家", "谁", "找谁", "能不能", "可不可以", "是不是",
    "有没有", "要不要", "需不需要", "用不用", "行不行", "可以吗", "有", "有个", "个", "是", "都", "也", "就", "还",
    "又", "才", "再", "已经", "刚", "刚刚", "马上", "现在", "今年", "明年", "去年", "以后", "之前", "时候",
    "什么时候", "多少", "多少钱", "多久", "几天", "家里", "家", "我家", "我们", "咱", "咱们", "你", "你们", "您",
    "他", "她", "它", "他们", "自己", "这个", "那个", "这", "那", "些", "一些", "么", "嘛", "呀", "哦", "呗", "哈",
    "啥", "该", "应该", "得", "带", "要带", "带什么", "材料", "手续", "流程", "条件", "地方", "弄", "搞", "帮",
    "帮忙", "想问", "问问", "咨询", "了解", "知道", "告诉", "谢谢", "你好", "您好", "请", "能领", "给", "让", "被",
    "把", "对", "从", "到", "跟", "为", "很", "太", "最", "没", "不", "没有", "一个", "里", "上", "下",
    "the", "a", "an", "of", "to", "how", "what", "where", "when", "who", "can", "i", "my", "do", "is", "for",
))
# A word that runs a filler character onto the need (jieba reads 养狗要 as one word) loses it.
TRAILING_FILLER = "要吗了的呢吧啊呀么"
NUMERAL = re.compile(r"^[0-9零〇一二两三四五六七八九十百千]+$")
SYLLABLES = frozenset(to_normal(p) for v in pinyin_dict.values() for p in v.split(","))
MAX_SYLLABLE = max(len(s) for s in SYLLABLES)


def warm_up() -> None:
    """jieba loads its dictionary on first use, about half a second; a web worker pays that at start."""
    jieba.initialize()


def _fold_char(c: str) -> str:
    folded = unicodedata.normalize("NFKC", c).lower()
    return folded if len(folded) == 1 else c.lower()


def fold(text: str) -> str:
    """Lower case and half-width, one character for one: offsets in the fold are offsets in the text."""
    return "".join(_fold_char(c) for c in text)


def syllables(folded: str) -> list[str]:
    """One pinyin syllable per character (a letter or digit stands for itself; other signs for nothing)."""
    out = lazy_pinyin(folded, errors=lambda s: [c if c.isalnum() else "" for c in s])
    if len(out) != len(folded):  # never seen, but alignment is what highlighting relies on
        out = [lazy_pinyin(c)[0] if CJK.match(c) else (c if c.isalnum() else "") for c in folded]
    return out


@dataclass
class Indexed:
    """A field's text in the shapes the database narrows by and the matcher scores with."""
    text: str
    norm: str
    pinyin: str
    initials: str
    syllables: list[str]


def index_text(text: str) -> Indexed:
    norm = fold(text)
    syl = syllables(norm)
    return Indexed(text, norm, "".join(syl), "".join(s[0] for s in syl if s), syl)


def split_syllables(latin: str) -> list[str]:
    """Greedy longest-first split of typed pinyin; an unknown piece (an initial, a typo) stands alone."""
    out, i = [], 0
    while i < len(latin):
        for size in range(min(MAX_SYLLABLE, len(latin) - i), 0, -1):
            if latin[i:i + size] in SYLLABLES or size == 1:
                out.append(latin[i:i + size])
                i += size
                break
    return out


def _strip_filler(word: str) -> str:
    while len(word) >= 3 and word[-1] in TRAILING_FILLER:
        word = word[:-1]
    return word


@lru_cache(maxsize=2048)
def _terms(norm: str) -> tuple[str, ...]:
    """The words that say what is asked about: no question or filler words, no bare numbers (an age)."""
    terms = []
    for chunk in norm.split():
        for word in map(_strip_filler, jieba.lcut(chunk)):
            if word.strip() and word not in STOPWORDS and (len(word) > 1 or CJK.match(word)):
                terms.append(word)
    kept = [t for t in terms if not NUMERAL.match(t)]
    return tuple(dict.fromkeys(kept or terms))


def grams(norm: str) -> set[str]:
    """What the inverted index holds for a folded text: every pair of adjacent Chinese characters, and
    every run of letters or digits. A text contains a word only if it holds all of the word's grams."""
    out = {m.group() for m in LATIN_RUN.finditer(norm)}
    out |= {norm[i:i + 2] for i in range(len(norm) - 1) if CJK.match(norm[i]) and CJK.match(norm[i + 1])}
    return {g[:40] for g in out}


@dataclass
class Query:
    """What someone typed, parsed once: the folded text, its pinyin reading, and its terms."""
    raw: str
    norm: str = ""
    compact: str = ""
    has_cjk: bool = False
    has_latin: bool = False

    def __post_init__(self):
        self.norm = " ".join(NON_WORD.sub(" ", fold(self.raw)).split())
        self.compact = self.norm.replace(" ", "")
        self.has_cjk = bool(CJK.search(self.compact))
        self.has_latin = bool(LATIN_RUN.search(self.compact))

    # Read when asked: most of a question's rewrites are only ever looked for as written.
    @cached_property
    def latin(self) -> str:
        return "".join(syllables(self.compact)) if self.has_cjk else self.compact

    @cached_property
    def terms(self) -> tuple[str, ...]:
        return _terms(self.norm)

    @property
    def empty(self) -> bool:
        return not self.compact

    @property
    def typed_initials(self) -> str:
        """For latin input mixing syllables and initials, its initials: `yiliaobx` reads as y-l-b-x."""
        if self.has_cjk:
            return ""
        pieces = split_syllables(self.compact)
        return "".join(s[0] for s in pieces) if any(s not in SYLLABLES for s in pieces) else ""

    @property
    def term_queries(self) -> tuple["Query", ...]:
        return tuple(parse(t) for t in self.terms)

    @property
    def short(self) -> bool:
        """One character, or two letters: someone still typing, not yet worth searching body text for."""
        return len(self.compact) < (2 if self.has_cjk else 3)


@lru_cache(maxsize=4096)
def parse(text: str) -> Query:
    """Queries are parsed once: search, suggestions and the matcher all ask for the same few."""
    return Query(text)
