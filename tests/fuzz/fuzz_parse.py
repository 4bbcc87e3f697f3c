"""A coverage-guided fuzzer (atheris, libFuzzer) for ``parse_article``: run by hand, never in CI.

    .venv/bin/pip install atheris
    mkdir -p /tmp/corpus && cp tests/golden/pages/*.html /tmp/corpus/   # seeds: real pages
    .venv/bin/python tests/fuzz/fuzz_parse.py /tmp/corpus -max_total_time=30

The property is the one ``tests/test_reliability_inputs.py`` checks with hypothesis: a page
gives a record or an ``ExtractionError`` of one line. Anything else is a crash, which libFuzzer
reports and saves as ``crash-<sha1>``; replay one with
``.venv/bin/python tests/fuzz/fuzz_parse.py crash-<sha1>``.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["monitor"]):
    from monitor.config import load_config
    from monitor.errors import ExtractionError
    from monitor.parse import parse_article

PROFILE = load_config(None).profile
URL = "https://congan.com.vn/tin-chinh/cong-tac-dan-van_141005.html"
CONTENT_TYPES = (None, "text/html; charset=utf-8", "text/html; charset=windows-1258")


def test_one_input(data: bytes) -> None:
    """One page: the first byte picks the declared charset, the rest is the page."""
    content_type = CONTENT_TYPES[data[0] % len(CONTENT_TYPES)] if data else None
    try:
        parse_article(data[1:], URL, PROFILE, content_type=content_type)
    except ExtractionError as error:
        if len(str(error).splitlines()) != 1:
            raise AssertionError(f"a message of more than one line: {error!s}") from error


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
