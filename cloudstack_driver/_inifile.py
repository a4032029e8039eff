"""Reading ``cs``'s ini files: which files, and parsing them without ever quoting a line.

configparser's own messages quote the offending line, which may be ``secret = ...``: the errors
here name the file, the line number, the section and the key, never a value. No ``%``
interpolation: a secret may hold any character.
"""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["IniFileError", "config_paths", "read_file", "sections"]


class IniFileError(Exception):
    """A file that cannot be read as an ini file (the message holds no value from it)."""


def config_paths(path: str | os.PathLike[str] | None = None,
                 environ: Mapping[str, str] | None = None) -> list[Path]:
    """The ini files read, in order (later ones win): ``path`` alone when given, else
    ``~/.cloudstack.ini``, ``./cloudstack.ini`` and ``$CLOUDSTACK_CONFIG``."""
    env = os.environ if environ is None else environ
    if path is not None:
        return [Path(os.path.expanduser(os.fspath(path)))]
    home = env.get("HOME") or os.path.expanduser("~")
    paths = [Path(home) / ".cloudstack.ini", Path.cwd() / "cloudstack.ini"]
    if env.get("CLOUDSTACK_CONFIG"):
        paths.append(Path(os.path.expanduser(env["CLOUDSTACK_CONFIG"])))
    return paths


def read_file(path: Path) -> configparser.RawConfigParser:
    """The parsed file; ``IniFileError`` (naming lines, never quoting them) otherwise."""
    parser = configparser.RawConfigParser(interpolation=None)
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle, source=str(path))
    except OSError as exc:
        raise IniFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise IniFileError(f"cannot read {path}: not UTF-8 text") from None
    except configparser.MissingSectionHeaderError as exc:  # its message quotes the line
        raise IniFileError(f"{path}: line {exc.lineno} comes before any [section] "
                                 "header") from None
    except configparser.ParsingError as exc:  # its message quotes lines: the secret may be one
        lines = ", ".join(str(lineno) for lineno, _line in exc.errors) or "?"
        raise IniFileError(f"{path} is not an ini file (line {lines})") from None
    except configparser.Error as exc:
        section = getattr(exc, "section", None)
        option = getattr(exc, "option", None)
        what = f"key {option!r} in [{section}]" if option else f"section [{section}]"
        line = getattr(exc, "lineno", None)
        raise IniFileError(f"{path}: {what} appears twice (line {line})") from None
    return parser


def sections(paths: list[Path]) -> list[str]:
    """Every section of the readable files among ``paths`` (for completion)."""
    found: set[str] = set()
    for path in paths:
        if path.is_file():
            try:
                found.update(read_file(path).sections())
            except IniFileError:
                continue
    return sorted(found)
