"""From what the user typed (files, directories, globs, ``-``) to the inputs to read, with their ids.

An input's id is its path below the root the user named, less its format and
compression extensions: ``html/042b.html.gz`` read as part of ``html/`` is ``042b``, a
nested ``root/sub/a.txt`` is ``sub/a``, a file named by itself is its stripped name. The
root of a glob is its directory part before the first wildcard (``data/*/x.txt`` → ``data``).
A URL (``s3://bucket/crawl/``, anything with ``://``) is expanded the same way, through
fsspec (dehusk.storage): a prefix walked, a glob expanded, an object taken as it is.

All paths are checked before anything is read (check_paths) so that a typo fails the
run at once, with one line, instead of after an hour of work; directories are then
walked lazily, in sorted order, so two runs over the same tree see the same sequence.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from dehusk import storage
from dehusk.readers.formats import split_name

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Input:
    """One thing to read: a file (``path``) or stdin (``path`` None).

    ``problem`` is set for an entry that cannot be read at all (a directory that cannot
    be listed); the reader turns it into an error record.
    """

    path: str | None
    id: str
    source: str
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """One checked command-line path: stdin, a file, a directory, or a glob's matches."""

    kind: str  # "stdin", "file", "dir" or "glob"
    path: str
    root: str = ""
    matches: tuple[str, ...] = ()


def check_paths(paths: Sequence[str]) -> list[Target]:
    """Check every path before anything is read; raise FileNotFoundError for the first missing one.

    A path that exists is taken literally even if it holds wildcard characters
    (``a[1].txt``); otherwise a path with wildcards is a glob (``**`` included) and must
    match something. The message is one line, ready for the CLI to print. A URL
    without fsspec (or its driver) raises storage.StorageError, one line too.
    """
    targets = []
    for path in paths:
        if path == STDIN:
            targets.append(Target("stdin", path))
        elif storage.is_dir(path):
            targets.append(Target("dir", path, root=path))
        elif storage.exists(path):
            targets.append(Target("file", path))
        elif glob.has_magic(path):
            root = glob_root(path)
            if storage.is_url(path):
                matches = tuple(storage.glob_url(path, root))
            else:
                matches = tuple(sorted(glob.glob(path, recursive=True)))
            if not matches:
                raise FileNotFoundError(f"no file matches {path!r}")
            targets.append(Target("glob", path, root=root, matches=matches))
        else:
            raise FileNotFoundError(f"no such file or directory: {path!r}")
    return targets


def glob_root(pattern: str) -> str:
    """The directory part of a glob before its first wildcard: ids are relative to it.

    >>> glob_root("data/*/x.txt"), glob_root("*.txt"), glob_root("/srv/c/**/*.html")
    ('data', '.', '/srv/c')
    """
    head = pattern.rstrip("/" + os.sep) or pattern
    while glob.has_magic(head):
        parent = os.path.dirname(head)
        if parent == head:
            break
        head = parent
    return head or "."


def inputs(targets: Sequence[Target]) -> Iterator[Input]:
    """The inputs the checked targets stand for, directories walked as they are reached."""
    for target in targets:
        if target.kind == "stdin":
            yield Input(None, "stdin", "<stdin>")
        elif target.kind == "file":
            yield Input(target.path, file_id(os.path.basename(target.path)), target.path)
        elif target.kind == "dir":
            yield from _under(target.path, target.root)
        else:
            for match in target.matches:
                if storage.is_dir(match):
                    yield from _under(match, target.root)
                else:
                    yield Input(match, file_id(storage.relative(match, target.root)), match)


def file_id(relative: str) -> str:
    """The id of a file from its path below the root: '/'-separated, extensions dropped.

    >>> file_id("sub/adac.de.kindersitze.html"), file_id("042b.html.gz")
    ('sub/adac.de.kindersitze', '042b')
    """
    parts = relative.replace(os.sep, "/").split("/")
    parts = [part for part in parts if part not in ("", ".")]
    stem, _, _ = split_name(parts[-1])
    return "/".join([*parts[:-1], stem])


def _under(directory: str, root: str) -> Iterator[Input]:
    """Every file below ``directory`` as an Input, its id relative to ``root``."""
    for path, problem in walk(directory):
        relative = storage.relative(path, root)
        yield Input(path, file_id(relative), path, problem)


def walk(top: str) -> Iterator[tuple[str, str | None]]:
    """Files below ``top`` in sorted order, depth first, without recursion.

    Names starting with ``.`` (``.git``, ``.DS_Store``) are skipped; symbolic links are
    followed, each directory visited once so a link cycle ends. A directory that cannot
    be listed is yielded with the reason, so the run reports it and goes on. A URL is
    listed through fsspec (storage.walk_url), in the same order, with the same skips.
    """
    if storage.is_url(top):
        yield from storage.walk_url(top)
        return
    seen: set[tuple[int, int]] = set()
    stack: list[Iterator[os.DirEntry[str]]] = []

    def enter(path: str) -> str | None:
        try:
            info = os.stat(path)
            if (info.st_dev, info.st_ino) in seen:
                return None
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(path) as entries:
                stack.append(iter(sorted(entries, key=lambda entry: entry.name)))
        except OSError as exc:
            return f"cannot list directory: {exc.strerror or exc}"
        return None

    problem = enter(top)
    if problem:
        yield top, problem
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            problem = enter(entry.path)
            if problem:
                yield entry.path, problem
        else:
            yield entry.path, None
