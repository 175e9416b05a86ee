"""Where inputs and outputs live: local paths, or URLs (``s3://``, ``gs://``, ``memory://``…) through fsspec.

A path is a URL when it holds ``://``; only then is fsspec imported, so the base install
does without it (``pip install 'dehusk[fsspec]'``, plus the object store's own driver:
s3fs, gcsfs, adlfs…). Every function here takes either kind and does the same thing for
both, so the readers and writers keep one code path.

Object stores have no atomic rename. So an output is always written to a local file first
(beside its final name for a local path, in the system's temporary directory for a URL)
and published whole when complete: renamed locally, uploaded in one put to a URL, where
an object appears only once its upload is complete. A reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO

#: The driver each common protocol needs besides fsspec (named in the message when missing).
DRIVERS = {
    "s3": "s3fs",
    "s3a": "s3fs",
    "gs": "gcsfs",
    "gcs": "gcsfs",
    "az": "adlfs",
    "abfs": "adlfs",
    "abfss": "adlfs",
    "hf": "huggingface_hub",
    "sftp": "paramiko",
    "ssh": "paramiko",
    "http": "aiohttp",
    "https": "aiohttp",
}


class StorageError(Exception):
    """A URL that cannot be used here: fsspec or the protocol's driver missing, or an unknown protocol.

    A usage mistake: its message is one line, ready for the CLI to print.
    """


def is_url(path: str) -> bool:
    """Whether ``path`` is a URL for fsspec rather than a local path.

    >>> is_url("s3://bucket/crawl/"), is_url("crawl/"), is_url("-")
    (True, False, False)
    """
    return "://" in path


def protocol(url: str) -> str:
    """The protocol of a URL, the last of a chain (``simplecache::s3://b/k`` → ``s3``)."""
    return url.rsplit("::", 1)[-1].split("://", 1)[0].lower()


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path within it; StorageError if it cannot be had."""
    try:
        import fsspec
    except ImportError:
        raise StorageError(_install(url, fsspec_missing=True)) from None
    try:
        return fsspec.core.url_to_fs(url)
    except ImportError:
        raise StorageError(_install(url, fsspec_missing=False)) from None
    except ValueError as exc:  # "Protocol not known: …"
        raise StorageError(f"{url}: {exc}") from None


def _install(url: str, *, fsspec_missing: bool) -> str:
    name = protocol(url)
    driver = DRIVERS.get(name)
    if fsspec_missing:
        what = "pip install 'dehusk[fsspec]'" + (f" {driver}" if driver else "")
    else:
        what = f"pip install {driver}" if driver else f"install the fsspec driver for {name}://"
    return f"{url}: {name}:// paths need fsspec and its driver: {what}"


# --- reading -------------------------------------------------------------------------------------


def exists(path: str) -> bool:
    return _ask(path, os.path.exists, "exists")


def is_dir(path: str) -> bool:
    return _ask(path, os.path.isdir, "isdir")


def is_file(path: str) -> bool:
    return _ask(path, os.path.isfile, "isfile")


def _ask(path: str, local: Any, method: str) -> bool:
    """``local(path)`` for a local path, the filesystem's ``method`` for a URL."""
    if not is_url(path):
        return bool(local(path))
    fs, inner = filesystem(path)
    return bool(getattr(fs, method)(inner))


def open_read(path: str) -> BinaryIO:
    """A file opened for reading, as bytes: fsspec never decompresses (the readers do)."""
    if not is_url(path):
        return open(path, "rb")
    try:
        import fsspec
    except ImportError:
        raise StorageError(_install(path, fsspec_missing=True)) from None
    return fsspec.open(path, mode="rb", compression=None).open()


def read_bytes(path: str) -> bytes:
    with open_read(path) as file:
        return file.read()


def relative(path: str, root: str) -> str:
    """``path`` below ``root``; for a URL, the part after the root's own string.

    >>> relative("s3://b/crawl/x/a.txt", "s3://b/crawl/")
    'x/a.txt'
    """
    if not is_url(path):
        return os.path.relpath(path, root)
    head = root.rstrip("/") + "/"
    return path[len(head) :] if path.startswith(head) else posixpath.basename(path)


def parent_name(path: str) -> str:
    """The name of the folder a file sits in (``s3://b/x/a.txt`` → ``x``)."""
    if not is_url(path):
        return os.path.basename(os.path.dirname(os.path.abspath(path)))
    return posixpath.basename(posixpath.dirname(path.split("://", 1)[1].rstrip("/")))


def walk_url(top: str) -> Iterator[tuple[str, str | None]]:
    """The files below the URL ``top``, as URLs, in the order a local walk gives (depth first, sorted).

    Names starting with ``.`` are skipped below ``top`` as they are locally; a listing that
    fails is yielded with its reason, so the run reports it and goes on.
    """
    fs, inner = filesystem(top)
    root = inner.rstrip("/")
    try:
        found = fs.find(inner, withdirs=False)
    except Exception as exc:  # drivers raise their own errors (botocore, google.api_core...)
        yield top, f"cannot list directory: {exc}"
        return
    head = top.rstrip("/")
    below = [posixpath.relpath(path, root) if root else path.lstrip("/") for path in found]
    below = [rel for rel in below if not any(part.startswith(".") for part in rel.split("/"))]
    for rel in sorted(below, key=lambda rel: rel.split("/")):
        yield f"{head}/{rel}", None


def glob_url(pattern: str, root: str) -> list[str]:
    """The URLs matching ``pattern`` (``**`` included), spelled from ``root`` as the user wrote it.

    As with a local glob, a wildcard does not match a name starting with ``.``: such a
    match is kept only when the pattern spells that name out.
    """
    fs, inner = filesystem(pattern)
    _, base = filesystem(root)
    base = base.rstrip("/")
    head = root.rstrip("/")
    spelled = set(pattern.split("/"))
    below = (posixpath.relpath(match, base) if base else match.lstrip("/") for match in fs.glob(inner))
    shown = (rel for rel in below if all(p in spelled for p in rel.split("/") if p.startswith(".")))
    return sorted(f"{head}/{rel}" for rel in shown)


# --- writing -------------------------------------------------------------------------------------


def join(directory: str, name: str) -> str:
    """``directory/name``: '/'-joined for a URL."""
    if is_url(directory):
        return f"{directory.rstrip('/')}/{name}"
    return os.path.join(directory, name)


def staging(final: str, suffix: str) -> str:
    """A local file to write ``final``'s content to before it is published (created empty for a URL).

    Locally a hidden name beside ``final`` (so that the rename stays on one filesystem);
    for a URL a file in the system's temporary directory. ``suffix`` ends with the
    compression's extension, which the writer goes by.
    """
    if not is_url(final):
        folder, name = os.path.split(final)
        if folder:
            os.makedirs(folder, exist_ok=True)
        return os.path.join(folder, f".{name}.{os.getpid()}{suffix}")
    handle, path = tempfile.mkstemp(prefix="dehusk-", suffix=suffix)
    os.close(handle)
    return path


def publish(staged: str, final: str) -> None:
    """Put the finished local file ``staged`` at ``final``: a rename locally, one upload to a URL."""
    if not is_url(final):
        os.replace(staged, final)
        return
    fs, inner = filesystem(final)
    _parents(fs, inner)
    fs.put_file(staged, inner)
    os.unlink(staged)


def write_bytes(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that no reader ever sees it half-written."""
    if is_url(path):
        fs, inner = filesystem(path)
        _parents(fs, inner)
        fs.pipe_file(inner, data)
        return
    temporary = staging(path, ".tmp")
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)


def remove(path: str) -> None:
    """Remove a file if it is there."""
    if not is_url(path):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        return
    fs, inner = filesystem(path)
    with contextlib.suppress(FileNotFoundError):
        fs.rm_file(inner)


def _parents(fs: Any, inner: str) -> None:
    """A local filesystem reached by URL (``file://``) needs its folders made; object stores have none."""
    from fsspec.implementations.local import LocalFileSystem

    if isinstance(fs, LocalFileSystem):
        fs.makedirs(fs._parent(inner), exist_ok=True)
