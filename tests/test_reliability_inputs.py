"""Bad input: property-based and fuzz tests of everything that reads text from outside
(RELIABILITY.md).

- ``parse_article``, on arbitrary bytes and on HTML-ish strings built from tags, attributes,
  broken markup, JSON-LD and text of every Unicode category (NUL included), and on nesting
  thousands deep: it returns a record or raises ``ExtractionError`` with a one-line message;
- ``parse_date``, on arbitrary text and on date-shaped text, against any ``now``: it returns
  ``None`` or an aware +07:00 datetime within [1990, now + 1 day];
- the ``Matcher``, on arbitrary text salted with keywords in every spelling: each hit's offsets
  lie in its field, and the text there is the keyword, case and tone-mark style aside;
- ``compile_query``, on arbitrary text and on query-shaped text: it returns FTS5 strings that
  SQLite accepts, with balanced quotes, or raises ``InputError`` with a one-line message;
- ``load_config``, on TOML documents built from the schema's keys and random ones: it returns a
  ``Config`` or raises ``ConfigError`` naming the key or the file, one line per problem.

Examples are few enough for each test to take a few seconds (``fuzz(max_examples)``, no
deadline); ``FUZZ_SCALE=50`` in the environment runs fifty times as many.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_reliability_config import full_document, schema_keys, toml_document

from monitor.config import Config, SiteProfile, load_config
from monitor.config.schema import Rule
from monitor.dates import EARLIEST, VN_TZ, parse_date
from monitor.errors import ConfigError, ExtractionError, InputError
from monitor.match import Hit, Matcher, UndertheseaSegmenter
from monitor.parse import parse_article
from monitor.text import canonical_tones, fold, matching_form, normalize_inline

try:
    from monitor.search.query import compile_query
except ImportError:  # written by another change; the test below says so when it is absent
    compile_query = None  # type: ignore[assignment]

pytestmark = pytest.mark.reliability


SCALE = int(os.environ.get("FUZZ_SCALE", "1"))  # FUZZ_SCALE=50: fifty times the examples


def fuzz(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


URL = "https://congan.com.vn/tin-chinh/cong-tac-dan-van_141005.html"
NOW = datetime(2025, 4, 9, 12, 0, tzinfo=VN_TZ)


def one_line(message: str) -> bool:
    return len(message.splitlines()) == 1


# --- text of every kind ------------------------------------------------------------------------

ODD = [  # characters and sequences that have broken text handling somewhere
    "\x00", "\u200b", "\u00ad", "\ufeff", "\u2060", "\u00a0", "\u2009", "\r\n", "\r", "\u2028",
    "\x85", "\x1c", "Ð", "ð", "\u0300", "\u0301\u0323", "\U0010ffff", "\ufffd", "İ", "ß", "ﬁ",
]  # fmt: skip
VIETNAMESE = [
    "Công an", "dân vận", "Dân vận khéo", "Ban Dân vận", "nhân dân vận dụng", "Thủ Đức", "hòa",
    "hoà", "THUỶ", "khoẻ", "Thế trận lòng dân", "Thông tin liên hệ", "Gửi cho bạn bè", "(CAO)",
    "Thứ Ba, 08/04/2025 19:58", "Thứ Hai, Ngày 23 Tháng 6, 2025", "quý", "Chloé",
]  # fmt: skip
pieces = st.one_of(
    st.text(max_size=12),  # every category but surrogates, which a str from bytes cannot hold
    st.sampled_from(ODD),
    st.sampled_from(VIETNAMESE),
    st.sampled_from(VIETNAMESE).map(lambda s: unicodedata.normalize("NFD", s)),
)
texts = st.lists(pieces, max_size=12).map("".join)


# --- parse_article -------------------------------------------------------------------------------

TAGS = [
    "html", "head", "body", "title", "meta", "link", "div", "p", "span", "a", "b", "br", "h1",
    "h3", "ul", "li", "article", "main", "section", "table", "td", "figure", "figcaption", "img",
    "script", "style", "noscript", "iframe", "form", "svg", "math", "template", "textarea",
    "plaintext", "xmp", "frameset", "select", "option",
]  # fmt: skip
ATTRIBUTES = [
    "", ' class="title"', ' id="article_content"', ' class="article_content"',
    ' class="article_head"', ' style="white-space: nowrap"', ' class="date-time"',
    ' class="tags"', ' href="/tag/D%C3%A2n+v%E1%BA%ADn.html"', ' class="article_author"',
    ' style="width:100%"', ' class="inner-article"', ' class="d-imgcaption"',
    ' src="/thumbnail/CATP-1-2025-1-1/a.jpg"', ' src="//\x00"', ' property="og:title" content="x"',
    ' property="article:published_time" content="2025-04-08T19:58:00+07:00"',
    ' property="article:published_time" content="99999-99-99"', ' name="keywords" content=",,"',
    ' rel="canonical" href="https://congan.com.vn/tin-chinh/khac_999.html"',
    ' rel="canonical" href="http://[::1"', ' charset="utf-8"', ' charset="x-no-such"',
    " a='", ' "=" ', " \x00", ' type="application/ld+json"',
]  # fmt: skip
BROKEN = [
    "<div", "</p>", "<p <p>", "<!--", "-->", "<![CDATA[", "]]>", "<?xml version='1.0'?>",
    "<!DOCTYPE html>", "</html></html>", "<<>>", "<a href='", "&", "&#", "&#x;", "&#0;",
    "&#x110000;", "&#99999999999;", "&nbsp;", "<script>", "</script>", "<meta charset=utf-16>",
    "<body><body>", "</body>", "<html xmlns='x'>", "<h1>", "</h1>",
]  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "@graph",
                    "headline",
                    "datePublished",
                    "dateModified",
                    "author",
                    "name",
                    "keywords",
                    "NewsArticle",
                    "x",
                ]
            ),
            inner | st.sampled_from(["NewsArticle", "Article"]),
            max_size=5,
        )
    ),
    max_leaves=10,
)
json_ld = st.one_of(json_values.map(json.dumps), texts).map(
    lambda data: f'<script type="application/ld+json">{data}</script>'
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, attributes, inner, closed: (
            f"<{tag}{attributes}>{''.join(inner)}{f'</{tag}>' if closed else ''}"
        ),
        st.sampled_from(TAGS),
        st.sampled_from(ATTRIBUTES),
        st.lists(children, max_size=4),
        st.booleans(),
    )


html_pages = st.recursive(
    st.one_of(texts, st.sampled_from(BROKEN), json_ld), _element, max_leaves=30
).map(lambda body: f"<html><body>{body}")  # past the "is this HTML at all" check
content_types = st.sampled_from(
    [
        None,
        "text/html",
        "text/html; charset=utf-8",
        "text/html; charset=windows-1258",
        "text/html; charset=utf-16",
        "text/html; charset=x-no-such",
        "charset=",
        "text/html; charset=\x00",
    ]
)


def parses_or_refuses(page: str | bytes, profile: SiteProfile, content_type: str | None) -> None:
    """``parse_article`` returns a record (JSON-ready) or says in one line why it cannot."""
    try:
        record = parse_article(page, URL, profile, content_type=content_type, now=NOW)
    except ExtractionError as error:
        assert one_line(str(error)), repr(str(error))
        return
    assert record.article_id == 141005
    json.dumps(record.to_dict(), ensure_ascii=False)


@fuzz(150)
@given(page=st.binary(max_size=4000), content_type=content_types)
def test_parse_article_on_arbitrary_bytes(
    profile: SiteProfile, page: bytes, content_type: str | None
) -> None:
    parses_or_refuses(page, profile, content_type)


@fuzz(150)
@given(page=html_pages, content_type=content_types, codec=st.sampled_from(["utf-8", "cp1258"]))
def test_parse_article_on_html_ish_bytes(
    profile: SiteProfile, page: str, content_type: str | None, codec: str
) -> None:
    parses_or_refuses(page.encode(codec, "replace"), profile, content_type)


@fuzz(150)
@given(page=html_pages)
def test_parse_article_on_html_ish_text(profile: SiteProfile, page: str) -> None:
    parses_or_refuses(page, profile, None)


ARTICLE = "<h1>Tiêu đề</h1><div id='article_content'><p>Công tác dân vận ở Thủ Đức.</p></div>"


def nested_page(kind: str, depth: int, closed: bool) -> str:
    """An article inside ``depth`` elements, or after JSON-LD nested ``depth`` deep."""
    if kind.startswith("json"):
        data = (
            "[" * depth + "]" * depth
            if kind == "json-array"
            else '{"@graph": ' * depth + "{}" + "}" * depth
        )
        ld = f'<script type="application/ld+json">{data}</script>'
        return f"<html><head>{ld}</head><body>{ARTICLE}"
    end = f"</{kind}>" * depth if closed else ""
    return f"<html><body>{f'<{kind}>' * depth}{ARTICLE}{end}"


@fuzz(20)
@given(
    depth=st.integers(min_value=100, max_value=30_000),
    kind=st.sampled_from(["div", "span", "p", "b", "table", "li", "a", "json-array", "json-graph"]),
    closed=st.booleans(),
)
def test_parse_article_on_huge_nesting(
    profile: SiteProfile, depth: int, kind: str, closed: bool
) -> None:
    parses_or_refuses(nested_page(kind, depth, closed), profile, None)


# --- parse_date ---------------------------------------------------------------------------------

DATE_WORDS = [
    "Thứ Hai", "Thứ 2", "T2", "Th 2", "THỨ HAI", "Chủ nhật", "Chủ Nhật", "CN", "Thứ bẩy",
    "Thứ Năm", "Thứ 9", "T0", "ngày", "Ngày", "tháng", "Tháng", "năm", "giờ", "tiếng", "phút",
    "trước", "vài", "hôm qua", "hôm nay", "hôm kia", "vừa xong", "tuần trước", "lúc", "Cập nhật",
    "Đăng lúc", "SA", "CH", "h", ":", ",", "|", "-", "/", ".", "(GMT+7)", "(GMT+25)", "GMT",
    "T", "Z", "+07:00", "+99:99", "-00:00", "+0700", "Mon", "Oct", "Feb",
]  # fmt: skip
numbers = st.one_of(
    st.integers(0, 60),
    st.integers(-10, 10**30),
    st.sampled_from([0, 29, 30, 31, 1899, 1989, 1990, 2025, 9999, 10000]),
).map(str)
date_shaped = st.lists(
    st.one_of(numbers, st.sampled_from(DATE_WORDS), st.sampled_from(ODD)), max_size=14
).flatmap(lambda parts: st.sampled_from([" ".join(parts), "".join(parts), "/".join(parts)]))
offsets = st.builds(
    timezone, st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23))
)
machine_dates = st.one_of(
    st.datetimes(timezones=st.none() | offsets).map(datetime.isoformat),
    st.datetimes(timezones=offsets).map(format_datetime),
    st.dates().map(lambda day: day.isoformat()),
)
nows = st.datetimes(timezones=st.none() | offsets)


def assert_date_within(value: datetime | None, now: datetime) -> None:
    if value is None:
        return
    assert value.utcoffset() == timedelta(hours=7)
    clock = now.replace(tzinfo=VN_TZ) if now.utcoffset() is None else now.astimezone(VN_TZ)
    try:
        latest = clock + timedelta(days=1)
    except OverflowError:
        latest = datetime.max.replace(tzinfo=VN_TZ)
    assert EARLIEST <= value <= latest


@fuzz(300)
@given(text=st.one_of(st.text(max_size=120), texts, date_shaped, machine_dates))
def test_parse_date_never_raises_and_stays_in_range(text: str) -> None:
    assert_date_within(parse_date(text, now=NOW), NOW)


@fuzz(300)
@given(text=st.one_of(date_shaped, machine_dates), now=nows)
def test_parse_date_against_any_now(text: str, now: datetime) -> None:
    assert_date_within(parse_date(text, now=now), now)


# --- the matcher --------------------------------------------------------------------------------


def _variants(keyword: str) -> st.SearchStrategy[str]:
    """The keyword as the press may write it: case, NFD, tone style, odd spaces inside."""
    spaced = st.sampled_from([" ", "  ", "\u00a0", " \u200b", "\u2009", "\t"]).map(
        lambda space: keyword.replace(" ", space)
    )
    return st.one_of(
        st.just(keyword),
        st.just(keyword.upper()),
        st.just(keyword.lower()),
        st.just(unicodedata.normalize("NFD", keyword)),
        st.just(canonical_tones(keyword)),
        st.just(keyword.replace("đ", "ð").replace("Đ", "Ð")),
        st.just(fold(keyword)),
        spaced,
    )


@pytest.fixture(scope="module")
def segmenter() -> UndertheseaSegmenter:
    return UndertheseaSegmenter()


@pytest.fixture(scope="module")
def shipped_matcher(config: Config, segmenter: UndertheseaSegmenter) -> Matcher:
    return Matcher(config.rules, segmenter=segmenter)


def _field_texts(keywords: list[str]) -> st.SearchStrategy[str]:
    salted = st.sampled_from(keywords).flatmap(_variants)
    context = st.sampled_from(["nhân", "người", "Ban", "vận dụng", "khéo", ".", ", ", "\n", " "])
    return st.lists(st.one_of(salted, context, pieces), max_size=14).map(" ".join)


_SYLLABLE = re.compile(r"[^\W_]+")  # a run of letters and digits, as the matcher reads them


def syllable_span(text: str) -> str:
    """``text`` from its first syllable to its last: a keyword matches whole syllables, so its
    leading and trailing punctuation are never part of a hit."""
    found = list(_SYLLABLE.finditer(text))
    return text[found[0].start() : found[-1].end()] if found else ""


def assert_hits_are_keywords(
    hits: list[Hit], fields: dict[str, str], rules: dict[str, Rule]
) -> None:
    for hit in hits:
        text = fields[hit.field]
        assert 0 <= hit.start < hit.end <= len(text)
        found = normalize_inline(text[hit.start : hit.end])
        form = fold if rules[hit.rule].accents == "fold" else matching_form
        expected = syllable_span(form(normalize_inline(hit.keyword)))
        assert form(found) == expected, (found, hit.keyword)


SHIPPED_KEYWORDS = [keyword for rule in load_config(None).rules for keyword in rule.keywords]


@fuzz(150)
@given(data=st.data())
def test_shipped_rules_hits_are_the_keywords_where_they_say(
    shipped_matcher: Matcher, config: Config, data: st.DataObject
) -> None:
    fields = {name: data.draw(_field_texts(SHIPPED_KEYWORDS)) for name in ("title", "lead", "body")}
    hits = shipped_matcher.match(fields, section=data.draw(st.none() | st.text(max_size=8)))
    assert_hits_are_keywords(hits, fields, {rule.name: rule for rule in config.rules})


keywords = st.one_of(st.sampled_from(VIETNAMESE), st.text(min_size=1, max_size=12)).filter(
    lambda keyword: any(char.isalnum() for char in normalize_inline(keyword))
)


@fuzz(100)
@given(
    keyword=keywords,
    accents=st.sampled_from(["exact", "fold"]),
    data=st.data(),
)
def test_any_keyword_hits_are_the_keyword_where_they_say(
    segmenter: UndertheseaSegmenter, keyword: str, accents: str, data: st.DataObject
) -> None:
    rule = Rule(name="r", keywords=(keyword,), accents=accents)  # type: ignore[arg-type]
    fields = {"body": data.draw(_field_texts([keyword]))}
    hits = Matcher([rule], segmenter=segmenter).match(fields)
    assert_hits_are_keywords(hits, fields, {"r": rule})


# --- compile_query ------------------------------------------------------------------------------

QUERY_PIECES = [
    '"', "“", "”", "„", ",", ";", "-", " -", " OR ", "OR", "or", " ", "NEAR", "NEAR(", "*", "^",
    ":", "(", ")", "title:", "AND", "NOT", "'", '""', "\\", "{", "}", "+", "dân vận", "Thủ Đức",
    "thu duc", "covid-19", "Bà Rịa - Vũng Tàu", "đang", "Đảng", "hoà", "ANTQ",
]  # fmt: skip
queries = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(st.sampled_from(QUERY_PIECES), pieces), max_size=24).map("".join),
    st.text(min_size=990, max_size=1010),  # around the length limit
)


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')"
    )
    connection.execute("INSERT INTO t VALUES ('công tác dân vận', 'thu duc, Thủ Đức')")
    yield connection
    connection.close()


def quotes_balanced(expression: str) -> bool:
    """Every phrase's quotes closed; a doubled quote inside a phrase is one literal quote."""
    inside, index = False, 0
    while index < len(expression):
        if expression[index] == '"':
            if inside and expression[index + 1 : index + 2] == '"':
                index += 2
                continue
            inside = not inside
        index += 1
    return not inside


@pytest.mark.skipif(compile_query is None, reason="monitor.search.query.compile_query not written")
@fuzz(400)
@given(text=queries)
def test_compile_query_gives_fts5_strings_or_one_input_error(
    fts: sqlite3.Connection, text: str
) -> None:
    try:
        compiled = compile_query(text)
    except InputError as error:
        assert one_line(str(error)), repr(str(error))
        return
    expressions = [e for e in (compiled.exact, compiled.folded) if e is not None]
    assert expressions
    for expression in expressions:
        assert quotes_balanced(expression), expression
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchall()


# --- load_config ----------------------------------------------------------------------------------

SCHEMA_KEYS = [key for key, _ in schema_keys()]
toml_scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.floats(),
    texts,
    st.datetimes(timezones=st.none() | offsets),
    st.dates(),
    st.times(),
    st.sampled_from(
        [
            "",
            "0",
            "${X}",
            "mailto://a:b@c",
            "json://127.0.0.1/x",
            "*/5 * * * *",
            "06:00-22:00",
            "h1[[",
            "(unclosed",
            "{title}",
            "{oops}",
            "console",
            "file",
            "apprise",
            "digest",
            "default",
            "exact",
            "fold",
            "body",
            "monitor.toml",
            ".",
        ]
    ),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


def key_parts(key: str) -> tuple[str | int, ...]:
    """``rules.0.name`` → ``("rules", 0, "name")``."""
    return tuple(int(part) if part.isdigit() else part for part in key.split("."))


config_keys = st.one_of(
    st.sampled_from(
        [key_parts(key) for key in [*SCHEMA_KEYS, "include", "rules.0", "channels.x.type"]]
    ),
    st.lists(st.text(max_size=10), min_size=1, max_size=2).map(tuple),
)


def set_key(document: dict[str, Any], parts: tuple[str | int, ...], value: Any) -> None:
    """Set a key in nested tables, making the tables (and ``rules``' first table) on the way."""
    container: Any = document
    for part, following in pairwise(parts):
        if isinstance(part, int):  # the first table of an array of tables
            if not (container and isinstance(container[0], dict)):
                container[:] = [{}]
            container = container[0]
            continue
        wanted = list if isinstance(following, int) else dict
        if not isinstance(container.get(part), wanted):
            container[part] = [{}] if wanted is list else {}
        container = container[part]
    if isinstance(parts[-1], int):
        container[:] = [value]
    else:
        container[parts[-1]] = value


@pytest.fixture(scope="module")
def config_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzzed-config")


FULL = full_document()


@fuzz(200)
@given(
    items=st.lists(st.tuples(config_keys, toml_values), max_size=5),
    base=st.sampled_from([{}, FULL]),
)
def test_load_config_on_any_document_raises_only_a_config_error(
    config_dir: Path, items: list[tuple[tuple[str | int, ...], Any]], base: dict[str, Any]
) -> None:
    document = copy.deepcopy(base)
    for parts, value in items:
        set_key(document, parts, value)
    path = config_dir / "monitor.toml"
    path.write_text(toml_document(document), encoding="utf-8")
    try:
        load_config(path)
    except ConfigError as error:
        lines = str(error).splitlines()
        # one problem: one line; several: a header, then one line each (issue 19)
        assert len(lines) == (1 if len(error.problems) == 1 else 1 + len(error.problems)), lines
        for problem, line in zip(error.problems, lines[-len(error.problems) :], strict=True):
            named = problem.key if problem.key is not None else error.path
            assert named and named in line, line


# --- what the fuzzing found (each fixed; kept as plain cases) -------------------------------------


def test_tail_text_holding_a_control_character_survives_stripping(profile: SiteProfile) -> None:
    body = "<p>Công tác dân vận.</p><script>x</script>\x01tiếp \x0bnữa\ufffe"
    page = f"<html><body><h1>Tiêu đề</h1><div id='article_content'>{body}</div>"
    record = parse_article(page, URL, profile, now=NOW)
    assert record.body == "Công tác dân vận.\n\ntiếp nữa"


def test_json_ld_type_that_is_not_a_string_names_no_article(profile: SiteProfile) -> None:
    ld = '{"@type": {"a": 1}, "headline": "Khác"}'
    page = f'<html><head><script type="application/ld+json">{ld}</script></head><body>{ARTICLE}'
    record = parse_article(page, URL, profile, now=NOW)
    assert (record.title, record.extraction["title"]) == ("Tiêu đề", "profile")


@pytest.mark.parametrize("kind", ["json-array", "json-graph"])
def test_json_ld_nested_thousands_deep_is_ignored(profile: SiteProfile, kind: str) -> None:
    record = parse_article(nested_page(kind, 5000, closed=True), URL, profile, now=NOW)
    assert (record.title, record.extraction["title"]) == ("Tiêu đề", "profile")
