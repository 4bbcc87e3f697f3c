"""monitor.match: keyword rules matched precisely on Vietnamese text, one behaviour per test."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.config import Config, load_config
from monitor.config.schema import Rule
from monitor.errors import ConfigError
from monitor.match import Hit, Matcher
from monitor.match.contexts import FAMILIES
from monitor.match.fieldtext import display_with_source, split_field
from monitor.match.sentences import sentence_spans, snippet
from monitor.match.terms import make_term
from monitor.text import normalize_inline

from match_support import FakeSegmenter
from match_support import data_rows as _rows
from match_support import decode_cell as _decode

DATA = Path(__file__).resolve().parent / "data"


def make_rule(name: str = "r", **keys: Any) -> Rule:
    keys.setdefault("keywords", ["dân vận"])
    values = {
        key: tuple(value) if isinstance(value, list) else value for key, value in keys.items()
    }
    return Rule.model_validate({"name": name, **values})


@pytest.fixture(scope="module")
def one() -> Matcher:
    """A real matcher (underthesea) with the single keyword "dân vận"."""
    return Matcher([make_rule()])


@pytest.fixture(scope="module")
def defaults(config: Config) -> Matcher:
    return Matcher(config.rules)


def texts(hits: list[Hit], text: str) -> list[str]:
    return [text[hit.start : hit.end] for hit in hits]


# --- normalisation: case, Unicode forms, tone marks, spaces ---------------------------------


def test_matching_ignores_case(one: Matcher) -> None:
    assert texts(one.match({"title": "DÂN VẬN"}), "DÂN VẬN") == ["DÂN VẬN"]


def test_nfd_text_matches_nfc_keyword(one: Matcher) -> None:
    text = unicodedata.normalize("NFD", "Công tác dân vận")
    assert texts(one.match({"title": text}), text) == [unicodedata.normalize("NFD", "dân vận")]


def test_tone_mark_placement_is_ignored() -> None:
    matcher = Matcher([make_rule(keywords=["hoà giải"])])
    assert matcher.matching_rules({"title": "Công tác hòa giải ở cơ sở"}) == {"r"}


@pytest.mark.parametrize("space", ["\u00a0", "\n", "\r\n", " \u200b", "\u2009", "\u00ad "])
def test_odd_spaces_between_syllables_are_ignored(one: Matcher, space: str) -> None:
    text = f"Công tác dân{space}vận"
    assert texts(one.match({"body": text}), text) == [f"dân{space}vận"]


def test_zero_width_space_alone_joins_the_syllables(one: Matcher) -> None:
    # monitor.text removes format characters outright: "dân" ZWSP "vận" is stored as "dânvận"
    assert one.match({"body": "Công tác dân\u200bvận"}) == []


def test_paragraph_break_separates_syllables(one: Matcher) -> None:
    assert one.match({"body": "nhân dân\n\nvận động"}) == []


# --- boundaries -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["cán bộ dânvận", "dân-vận", "nhân dân, vận động viên"])
def test_keyword_needs_syllable_boundaries(one: Matcher, text: str) -> None:
    assert one.match({"title": text}) == []


def test_short_keyword_is_not_found_inside_a_word() -> None:
    matcher = Matcher([make_rule(keywords=["an"])])
    assert matcher.match({"title": "Anh em trong đơn vị"}) == []


@pytest.mark.parametrize(
    "text",
    [
        "Nhân dân vận dụng sáng tạo đường lối",
        "Người dân vận chuyển hàng cứu trợ",
        "Cư dân vận hành thang máy chung cư",
        "Toàn dân vận động người thân",
    ],
)
def test_hit_straddling_a_word_boundary_is_rejected(one: Matcher, text: str) -> None:
    assert one.match({"body": text}) == []


def test_straddle_across_a_compound_keyword_is_rejected() -> None:
    matcher = Matcher([make_rule(keywords=["công an"])])
    assert matcher.match({"body": "Dự án thành công an toàn tuyệt đối"}) == []


@pytest.mark.parametrize(
    "text", ["Phong trào “Dân vận khéo” của CATP", "Ban Dân vận Thành ủy", "hệ thống dân vận"]
)
def test_keyword_inside_a_longer_word_matches(one: Matcher, text: str) -> None:
    assert one.matching_rules({"body": text}) == {"r"}


# --- the boundary rule, through the Segmenter seam ---------------------------------------------


def test_segmenter_boundary_inside_the_hit_rejects() -> None:
    segmenter = FakeSegmenter(["dân vận", "nhân dân", "vận tốc"])
    matcher = Matcher([make_rule()], segmenter=segmenter)
    # "vận tốc" is in no deny list: only the segmenter sees the straddle
    assert matcher.match({"body": "nhân dân vận tốc cao"}) == []


def test_segmenter_word_holding_the_hit_accepts() -> None:
    segmenter = FakeSegmenter(["dân vận", "ban dân vận trung ương"])
    matcher = Matcher([make_rule()], segmenter=segmenter)
    assert matcher.matching_rules({"body": "Ban Dân vận Trung ương họp"}) == {"r"}


def test_segmenter_word_reaching_into_the_hit_rejects() -> None:
    segmenter = FakeSegmenter(["dân vận", "họ dân"])  # "họ" is in no deny list
    matcher = Matcher([make_rule()], segmenter=segmenter)
    assert matcher.match({"body": "họ dân vận"}) == []


def test_keyword_the_segmenter_reads_as_single_syllables_matches_on_syllables() -> None:
    matcher = Matcher([make_rule()], segmenter=FakeSegmenter([]))
    assert matcher.matching_rules({"body": "họ dân vận"}) == {"r"}


def test_multi_word_keyword_needs_each_of_its_words_whole() -> None:
    segmenter = FakeSegmenter(["công tác", "tuyên giáo", "bàn công", "tác tuyên"])
    matcher = Matcher([make_rule(keywords=["công tác tuyên giáo"])], segmenter=segmenter)
    assert matcher.matching_rules({"body": "về công tác tuyên giáo"}) == {"r"}
    assert matcher.match({"body": "bàn công tác tuyên giáo"}) == []  # bàn_công tác_tuyên giáo


def test_allow_listed_compound_overrides_the_segmenter() -> None:
    segmenter = FakeSegmenter(["vận khéo"])  # the real model's mistake: dân | vận_khéo
    matcher = Matcher([make_rule()], segmenter=segmenter)
    assert matcher.matching_rules({"body": 'phong trào "dân vận khéo"'}) == {"r"}


def test_deny_context_overrides_the_segmenter() -> None:
    segmenter = FakeSegmenter(["dân vận"])  # a model that would take the look-alike
    matcher = Matcher([make_rule()], segmenter=segmenter)
    assert matcher.match({"body": "người dân vận chuyển hàng"}) == []


def test_only_sentences_with_a_candidate_are_segmented_once() -> None:
    segmenter = FakeSegmenter(["dân vận", "về dân"])  # "về dân" makes the hit's edge doubtful
    matcher = Matcher([make_rule()], segmenter=segmenter)
    body = "Trời mưa to. Bàn về dân vận. Bàn về dân vận."
    matcher.match({"body": body})
    matcher.match({"body": body})
    assert segmenter.calls.count("bàn về dân vận.") == 1
    assert not any("mưa" in call for call in segmenter.calls)


# --- accents ---------------------------------------------------------------------------------


def test_exact_accents_keep_dang_and_dang_apart() -> None:
    matcher = Matcher([make_rule(keywords=["đang"])])
    assert matcher.match({"title": "Đảng ủy Công an Trung ương"}) == []


def test_fold_accents_match_unaccented_keywords() -> None:
    matcher = Matcher([make_rule(keywords=["dan van"], accents="fold")])
    assert matcher.matching_rules({"title": "Công tác dân vận"}) == {"r"}


def test_fold_accents_keep_the_boundary_rule() -> None:
    matcher = Matcher([make_rule(keywords=["dan van"], accents="fold")])
    assert matcher.match({"title": "Nhân dân vận dụng sáng tạo"}) == []


# --- rules: all, exclude, fields, sections ----------------------------------------------------


def test_all_terms_must_each_appear() -> None:
    matcher = Matcher([make_rule(all=["Công an", "TPHCM"])])
    assert matcher.match({"body": "Công an làm công tác dân vận"}) == []
    assert matcher.matching_rules({"body": "Công an TPHCM làm công tác dân vận"}) == {"r"}


def test_all_terms_may_be_in_another_field() -> None:
    matcher = Matcher([make_rule(all=["TPHCM"])])
    assert matcher.matching_rules({"title": "Công an TPHCM", "body": "dân vận"}) == {"r"}


def test_exclude_term_vetoes_the_rule() -> None:
    matcher = Matcher([make_rule(exclude=["Ban Tuyên giáo"])])
    assert matcher.match({"lead": "Ban Tuyên giáo và Dân vận Trung ương"}) == []


def test_exclude_term_straddling_a_word_does_not_veto() -> None:
    matcher = Matcher([make_rule(keywords=["Ban Dân vận"], exclude=["dân vận"])])
    assert matcher.match({"body": "Ban Dân vận"}) == []
    assert matcher.matching_rules({"body": "Ban Dân vận. Nhân dân vận dụng"}) == set()
    matcher = Matcher([make_rule(keywords=["Ban Tuyên giáo"], exclude=["dân vận"])])
    assert matcher.matching_rules({"body": "Ban Tuyên giáo. Nhân dân vận dụng"}) == {"r"}


def test_fields_limit_where_a_rule_looks() -> None:
    matcher = Matcher([make_rule(fields=["title"])])
    assert matcher.match({"title": "Tin chính", "body": "công tác dân vận"}) == []
    assert matcher.matching_rules({"title": "công tác dân vận"}) == {"r"}


def test_sections_limit_which_articles_a_rule_sees() -> None:
    matcher = Matcher([make_rule(sections=["tin-chinh"])])
    fields = {"title": "công tác dân vận"}
    assert matcher.matching_rules(fields, section="tin-chinh") == {"r"}
    assert matcher.match(fields, section="quoc-te") == []
    assert matcher.match(fields) == []


def test_missing_and_empty_fields_are_skipped(one: Matcher) -> None:
    assert one.match({"title": None, "lead": "", "body": "dân vận"})[0].field == "body"


def test_rules_match_independently() -> None:
    matcher = Matcher([make_rule("a"), make_rule("b", keywords=["Công an"])])
    assert matcher.matching_rules({"title": "Công an và dân vận"}) == {"a", "b"}


# --- hits: offsets, snippets, order -----------------------------------------------------------


def test_offsets_point_at_the_keyword_in_stored_text(one: Matcher) -> None:
    body = "Mở đầu.\n\nThực hiện công tác dân vận giữa hai đơn vị."
    [hit] = one.match({"body": body})
    assert body[hit.start : hit.end] == "dân vận"


def test_offsets_point_into_raw_text_as_given(one: Matcher) -> None:
    body = "  Mở\u00a0đầu.\r\n\r\n\u200bThực  hiện cô\u200bng tác " + unicodedata.normalize(
        "NFD", "Dân\nvận"
    )
    [hit] = one.match({"body": body})
    assert body[hit.start : hit.end] == unicodedata.normalize("NFD", "Dân\nvận")


def test_snippet_is_the_sentence_around_the_hit(one: Matcher) -> None:
    body = "Trời mưa. Công tác dân vận được chú trọng. Hết."
    [hit] = one.match({"body": body})
    assert hit.snippet == "Công tác dân vận được chú trọng."


def test_long_sentence_snippet_is_cut_around_the_hit(one: Matcher) -> None:
    body = "Trong năm " + "nhiều việc, " * 60 + "công tác dân vận" + ", nhiều việc" * 60 + "."
    [hit] = one.match({"body": body})
    assert "dân vận" in hit.snippet
    assert len(hit.snippet) <= 310
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")


def test_hits_are_ordered_by_field_then_offset(one: Matcher) -> None:
    hits = one.match({"body": "dân vận, dân vận", "title": "dân vận", "lead": "dân vận"})
    assert [(hit.field, hit.start) for hit in hits] == [
        ("title", 0),
        ("lead", 0),
        ("body", 0),
        ("body", 9),
    ]


def test_hit_inside_a_longer_hit_of_the_rule_is_left_out() -> None:
    matcher = Matcher([make_rule(keywords=["dân vận", "Ban Dân vận"])])
    [hit] = matcher.match({"title": "Ban Dân vận Thành ủy"})
    assert (hit.keyword, hit.start, hit.end) == ("Ban Dân vận", 0, 11)


def test_hit_names_rule_and_keyword_as_configured(one: Matcher) -> None:
    [hit] = one.match({"lead": "Công tác DÂN VẬN"})
    assert (hit.rule, hit.keyword, hit.field) == ("r", "dân vận", "lead")


# --- the data files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "keyword", "accents", "expected", "note"),
    _rows("match_tricky.tsv"),
    ids=[row[4] for row in _rows("match_tricky.tsv")],
)
def test_tricky_case(text: str, keyword: str, accents: str, expected: str, note: str) -> None:
    text = _decode(text)
    matcher = Matcher([make_rule(keywords=[_decode(keyword)], accents=accents)])
    wanted = [] if expected == "-" else _decode(expected).split(" | ")
    assert texts(matcher.match({"body": text}), text) == wanted, note


def test_labelled_sentences_precision_and_recall(defaults: Matcher) -> None:
    true_positive = false_positive = false_negative = 0
    rows = _rows("match_labelled.tsv")
    for sentence, labels, _note in rows:
        expected = set(filter(None, labels.split(",")))
        found = defaults.matching_rules({"body": sentence})
        true_positive += len(found & expected)
        false_positive += len(found - expected)
        false_negative += len(expected - found)
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    print(f"\nlabelled set: {len(rows)} sentences, precision {precision:.3f} recall {recall:.3f}")
    assert len(rows) >= 150
    assert precision >= 0.99 and recall >= 0.99


# --- pieces ------------------------------------------------------------------------------------


@given(st.text(alphabet="aâăđĐdnvVÂẬ \u00a0\u200b\u0300\u0302\u0323\n\r\t\u00d0-.,"))
def test_display_with_source_is_normalize_inline(raw: str) -> None:
    text, source = display_with_source(raw)
    assert text == normalize_inline(raw)
    assert len(source) == len(text)


def test_field_is_split_at_blank_lines() -> None:
    paragraphs = split_field("Một.\n \nHai\nba.\n\n\n")
    assert [(p.text, p.origin) for p in paragraphs] == [("Một.", 0), ("Hai ba.", 7)]


def test_sentences_keep_abbreviations_whole() -> None:
    text = "TP. Hồ Chí Minh: Công tác dân vận. Nguyễn sẽ “về nước”. 2 người."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "TP. Hồ Chí Minh: Công tác dân vận.",
        "Nguyễn sẽ “về nước”.",
        "2 người.",
    ]


def test_snippet_of_a_short_sentence_is_whole() -> None:
    assert snippet("Một. Hai ba bốn. Năm.", 5, 8) == "Hai ba bốn."


def test_every_context_phrase_contains_its_family_word() -> None:
    for word, family in FAMILIES.items():
        for phrase in family.compounds + family.straddles:
            assert make_term(phrase, "exact").allow or make_term(phrase, "exact").deny, phrase
        assert word and all(" " not in part for part in family.left_tails + family.right_heads)


# --- configuration ---------------------------------------------------------------------------


def test_default_rules_are_shipped(config: Config) -> None:
    assert [rule.name for rule in config.rules] == ["dan-van", "toan-dan-bv-antq"]
    assert all(rule.channels == ("default",) for rule in config.rules)
    assert "Dân vận khéo" in config.rules[0].keywords


def test_rule_defaults(tmp_path: Path) -> None:
    path = tmp_path / "my.toml"
    path.write_text('[[rules]]\nname = "x"\nkeywords = ["dân vận"]\n', encoding="utf-8")
    [rule] = load_config(path).rules
    assert rule.fields == ("title", "lead", "body")
    assert (rule.all, rule.exclude, rule.sections, rule.accents) == ((), (), (), "exact")


def test_config_without_rules_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "my.toml"
    path.write_text("rules = []\n", encoding="utf-8")
    assert load_config(path).rules == ()


@pytest.mark.parametrize(
    ("rules", "key", "says"),
    [
        ('name = "a"\nkeywords = ["x"]\naccents = "loose"', "rules.0.accents", '"exact", "fold"'),
        ('name = "a"\nkeywords = ["x"]\nfields = ["summary"]', "rules.0.fields.0", '"title"'),
        ('name = "a"\nkeywords = []', "rules.0.keywords", "at least 1"),
        ('name = "a"\nkeywords = ["x", " \\u200b "]', "rules.0.keywords.1", "no letter"),
        ('name = "a"\nkeywords = ["x"]\nexclude = ["…"]', "rules.0.exclude.0", "no letter"),
        ('name = "a"\nkeywords = ["x"]\nexlude = ["y"]', "rules.0.exlude", "mean 'exclude'"),
        ('name = "a"', "rules.0.keywords", "required key is missing"),
        ('name = "a b"\nkeywords = ["x"]', "rules.0.name", "must be letters"),
    ],
)
def test_bad_rule_error_names_rule_and_key(tmp_path: Path, rules: str, key: str, says: str) -> None:
    path = tmp_path / "my.toml"
    path.write_text(f"[[rules]]\n{rules}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == key
    assert "rule 'a" in str(caught.value) and says in str(caught.value)


def test_duplicate_rule_name_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "my.toml"
    rule = '[[rules]]\nname = "dup"\nkeywords = ["x"]\n'
    path.write_text(rule + rule, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == "rules.1.name"
    assert "rule 'dup'" in str(caught.value)
