"""congan.com.vn news monitor: discover → fetch → parse → normalise → store → match → alert."""

__version__ = "0.1.0"
