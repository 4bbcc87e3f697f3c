"""The parse stage: an article page's HTML in, a normalised ``ArticleRecord`` out."""

from monitor.parse.article import parse_article

__all__ = ["parse_article"]
