"""Configuration: the shipped defaults in ``config/``, overlaid by the user's file, validated once.

    config = load_config(Path("my.toml"))   # or load_config(None) for the defaults alone

A user's file needs only the keys it changes. Tables merge key by key; arrays (and arrays of
tables such as ``[[rules]]``) replace the default. A file may name others with
``include = ["other.toml"]`` (relative to itself); its own keys win over what it includes.
"""

from monitor.config.loader import DEFAULTS_DIR, load_config, load_rules
from monitor.config.schema import Config, SiteProfile

__all__ = ["DEFAULTS_DIR", "Config", "SiteProfile", "load_config", "load_rules"]
