"""monitor.match.boundary: the segmenter is asked about a sentence only where a word it knows
reaches into a hit, and deciding so changes no answer; one behaviour per test."""

from __future__ import annotations

from pathlib import Path

from bench.bench_matcher import generated_rules, load_articles, ten_rules
from monitor.config import Config
from monitor.config.schema import Rule
from monitor.match import Hit, Matcher
from monitor.match.boundary import CONTEXT
from monitor.match.segment import UndertheseaSegmenter

from match_support import FakeSegmenter
from match_support import data_rows as _rows
from match_support import decode_cell as _decode

DATA = Path(__file__).resolve().parent / "data"


class AlwaysAsked:
    """underthesea naming no lexicon: the matcher segments every candidate's sentence.

    (A ``Segmenter`` wrapping underthesea's rather than a subclass of it: the subclass's
    ``lexicon`` always names one, so it may not answer None.)"""

    def __init__(self) -> None:
        self._underthesea = UndertheseaSegmenter()

    def words(self, sentence: str) -> list[tuple[int, int]]:
        return self._underthesea.words(sentence)

    def lexicon(self) -> None:
        return None


def rule(keywords: list[str], accents: str = "exact", name: str = "r") -> Rule:
    return Rule.model_validate({"name": name, "keywords": tuple(keywords), "accents": accents})


def test_hit_no_known_word_reaches_into_is_not_segmented() -> None:
    segmenter = FakeSegmenter(["dân vận", "nhân dân", "vận động"])
    matcher = Matcher([rule(["dân vận"])], segmenter=segmenter)
    assert matcher.matching_rules({"body": "Làm tốt công tác dân vận."}) == {"r"}
    assert segmenter.calls == []


def test_known_word_holding_the_whole_hit_leaves_it_alone() -> None:
    segmenter = FakeSegmenter(["dân vận", "ban dân vận trung ương"])
    matcher = Matcher([rule(["dân vận"])], segmenter=segmenter)
    assert matcher.matching_rules({"body": "Ban Dân vận Trung ương họp."}) == {"r"}
    assert segmenter.calls == []


def test_known_word_stopping_between_the_keywords_words_leaves_it_alone() -> None:
    segmenter = FakeSegmenter(["xây dựng", "nông thôn", "đẩy mạnh xây dựng"])
    matcher = Matcher([rule(["xây dựng nông thôn"])], segmenter=segmenter)
    assert matcher.matching_rules({"body": "Đẩy mạnh xây dựng nông thôn."}) == {"r"}
    assert segmenter.calls == ["xây dựng nông thôn"]  # the keyword's own words only


def test_known_word_cutting_into_the_keyword_makes_the_segmenter_decide() -> None:
    segmenter = FakeSegmenter(["nông thôn", "dựng nông"])
    matcher = Matcher([rule(["nông thôn"])], segmenter=segmenter)
    assert matcher.match({"body": "Xây dựng nông thôn mới."}) == []  # dựng_nông thôn
    assert "xây dựng nông thôn mới." in segmenter.calls


def test_doubtful_hit_in_a_long_sentence_is_segmented_in_a_window_around_it() -> None:
    segmenter = FakeSegmenter(["nông thôn", "dựng nông"])
    matcher = Matcher([rule(["nông thôn"])], segmenter=segmenter)
    body = "Năm nay cả tỉnh đã tập trung xây dựng nông thôn mới ở mọi huyện và mọi xã."
    assert matcher.match({"body": body}) == []  # dựng_nông thôn, as in the whole sentence
    syllables = body.lower().rstrip(".").split(" ")
    first = syllables.index("nông")
    before, after = CONTEXT
    window = " ".join(syllables[first - before : first + 2 + after])
    assert window in segmenter.calls
    assert body.lower() not in segmenter.calls


def test_doubtful_sentence_is_segmented_once_for_every_rule_and_article() -> None:
    segmenter = FakeSegmenter(["nông thôn", "dựng nông", "thôn mới"])
    rules = [rule(["nông thôn"]), rule(["thôn mới"], name="s")]
    matcher = Matcher(rules, segmenter=segmenter)
    for _ in range(2):  # a second article holding the same sentence
        matcher.match({"title": "Tin", "body": "Xây dựng nông thôn mới."})
    assert segmenter.calls.count("xây dựng nông thôn mới.") == 1


def test_segmenter_naming_no_lexicon_is_asked_about_every_candidate() -> None:
    segmenter = FakeSegmenter(["nông thôn"], names_lexicon=False)
    matcher = Matcher([rule(["nông thôn"])], segmenter=segmenter)
    assert matcher.matching_rules({"body": "Xây dựng nông thôn mới."}) == {"r"}
    assert "xây dựng nông thôn mới." in segmenter.calls


def _both(rules: list[Rule]) -> tuple[Matcher, Matcher]:
    return Matcher(rules), Matcher(rules, segmenter=AlwaysAsked())


def test_gate_decides_every_tricky_case_as_segmenting_every_sentence_does() -> None:
    for text, keyword, accents, _expected, note in _rows("match_tricky.tsv"):
        fast, always = _both([rule([_decode(keyword)], accents)])
        fields = {"body": _decode(text)}
        assert fast.match(fields) == always.match(fields), note


def test_gate_decides_every_labelled_sentence_as_segmenting_every_sentence_does(
    config: Config,
) -> None:
    fast, always = _both(list(config.rules))
    for sentence, _labels, note in _rows("match_labelled.tsv"):
        assert fast.match({"body": sentence}) == always.match({"body": sentence}), note


def _differences(rules: list[Rule]) -> set[Hit]:
    fast, always = _both(rules)
    found: set[Hit] = set()
    for article in load_articles():
        found |= set(fast.match(article)) ^ set(always.match(article))
    return found


def test_gate_finds_the_same_hits_in_the_bench_articles_with_ten_rules(config: Config) -> None:
    assert _differences(ten_rules(config.rules)) == set()


def test_gate_differs_in_the_bench_articles_only_where_the_model_splits_a_name() -> None:
    # 1,000 rules of the articles' own phrases: the one difference is "ương Trần Lưu" in
    # "Trung ương Trần Lưu Quang", a name the model splits "trần | lưu_quang" although
    # no word it knows reaches into the hit; both copies are in a sentence two articles share
    rules = generated_rules(load_articles(), 1000)
    assert {hit.keyword for hit in _differences(rules)} == {"ương Trần Lưu"}


def test_prepared_matcher_segments_no_keyword_while_matching() -> None:
    segmenter = FakeSegmenter(["nông thôn", "dựng nông"])
    matcher = Matcher([rule(["nông thôn"])], segmenter=segmenter)
    matcher.prepare()
    assert segmenter.calls == ["nông thôn"]
    assert matcher.match({"body": "Xây dựng nông thôn mới."}) == []
    assert "nông thôn" not in segmenter.calls[1:]  # only the doubtful hit's window after it


def test_keyword_of_one_syllable_words_is_taken_whole_without_its_window() -> None:
    segmenter = FakeSegmenter(["dựng nông"])  # "nông thôn" is two words of one syllable
    matcher = Matcher([rule(["nông thôn"])], segmenter=segmenter)
    assert matcher.matching_rules({"body": "Xây dựng nông thôn mới."}) == {"r"}
    assert segmenter.calls == ["nông thôn"]  # the keyword alone: nothing of it can be cut


def test_prepared_and_unprepared_matchers_find_the_same_hits() -> None:
    articles = load_articles()
    rules = generated_rules(articles, 200)
    prepared, lazy = Matcher(rules), Matcher(rules)
    prepared.prepare()
    assert [prepared.match(a) for a in articles[:20]] == [lazy.match(a) for a in articles[:20]]
