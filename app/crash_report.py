"""What Traject writes down when something goes wrong: a rotating log file in the user log
folder (platformdirs), `faulthandler` traces of hard crashes beside it, and a crash report a
counsellor can copy to whoever supports them. The folder is 0700 and every file in it 0600
(`app.private_files`): a log is appended to, so it is opened private rather than renamed.

Nothing personal goes in: an exception's message can hold what a counsellor typed (a name, a
national number, the parameters of an SQL statement), so a report keeps the kind of error,
where it happened in Traject's code and the operating system's or SQLite's own words, and
leaves the message out. No Qt here: the command line logs the same way.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import io
import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

import platformdirs

from app import __version__
from app.config import APP_NAME
from app.private_files import open_for_append, private_folder

if TYPE_CHECKING:
    import traceback

LOG_NAME = "traject.log"
FAULT_NAME = "crash-trace.log"
LOG_BYTES = 512 * 1024
LOG_FILES = 5  # traject.log and four older ones: a few weeks of normal use
LOGGER = "traject"
PACKAGE_ROOT = Path(__file__).resolve().parent.parent
WITHHELD = "(message withheld: it may contain personal data)"

_fault_file: IO[str] | None = None  # stays open: faulthandler writes to it when the process dies


def log_dir() -> Path:
    return private_folder(platformdirs.user_log_path(APP_NAME, appauthor=False))


def trace_faults(folder: Path) -> None:
    """faulthandler writes a hard crash (a segfault in a library) to `folder`; cheap, so it
    is turned on before anything else starts."""
    global _fault_file
    if _fault_file is None:
        private_folder(folder)
        _fault_file = open_for_append(folder / FAULT_NAME)
        faulthandler.enable(_fault_file)


def start_logging(folder: Path | None = None) -> Path:
    """Log to `folder` (the user log folder by default), with faulthandler on; returns the
    log file. Safe to call twice."""
    import platform

    folder = folder or log_dir()
    trace_faults(folder)
    log_file = folder / LOG_NAME
    logger = logging.getLogger(LOGGER)
    if not any(getattr(h, "baseFilename", None) == str(log_file) for h in logger.handlers):
        handler = _private_log(log_file)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    logger.info("Traject %s started (Python %s, %s)", __version__, platform.python_version(),
                platform.platform(terse=True))  # fmt: skip
    return log_file


def _private_log(log_file: Path) -> logging.Handler:
    """A rotating log whose every file, the first and each one after a rotation, is 0600."""
    import logging.handlers

    class PrivateLog(logging.handlers.RotatingFileHandler):
        def _open(self) -> io.TextIOWrapper:
            return open_for_append(Path(self.baseFilename))

    return PrivateLog(log_file, maxBytes=LOG_BYTES, backupCount=LOG_FILES - 1, encoding="utf-8")


def _where(frame: traceback.FrameSummary) -> str:
    path = Path(frame.filename)
    try:
        shown = str(path.resolve().relative_to(PACKAGE_ROOT))
    except ValueError:
        shown = path.name  # a library's file: its name is enough, the folders name the user
    return f"  {shown}:{frame.lineno} in {frame.name}"


def safe_message(exc: BaseException) -> str:
    """The words of an error that cannot hold personal data: the operating system's (without
    the file name) and the database driver's; everything else is withheld."""
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error
    if isinstance(orig, BaseException) and type(orig).__module__.startswith(
        ("sqlite3", "sqlcipher")
    ):
        return f"{type(orig).__name__}: {orig.args[0] if orig.args else ''}"
    if type(exc).__module__.startswith(("sqlite3", "sqlcipher")) and exc.args:
        return str(exc.args[0])  # SQLite's own message never repeats the values
    if isinstance(exc, OSError):
        return f"[Errno {exc.errno}] {exc.strerror}" if exc.errno else type(exc).__name__
    return WITHHELD


def describe(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
    extra: dict[str, str] | None = None,
) -> str:  # fmt: skip
    """A plain-text crash report: versions, time, the chain of errors with their place in the
    code, no messages that could name a person."""
    import platform
    import traceback

    lines = [
        f"Traject {__version__}",
        f"Python {platform.python_version()} on {platform.platform(terse=True)}",
        *(f"{key} {value}" for key, value in (extra or {}).items()),
        f"Time (UTC) {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}",
        "",
    ]
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 5:
        chain.append(current)
        current = current.__cause__ or current.__context__
    for position, error in enumerate(reversed(chain)):
        if position:
            lines.append("which led to:")
        kind = type(error)
        lines.append(f"{kind.__module__}.{kind.__qualname__}: {safe_message(error)}")
        frames = traceback.extract_tb(error.__traceback__ if error is not exc else tb)
        lines.extend(_where(frame) for frame in frames)
    return "\n".join(lines)


Shower = Callable[[str, BaseException], None]


def install(show: Shower, extra: dict[str, str] | None = None) -> Callable[[], None]:
    """Route uncaught errors (main thread and other threads) to the log and to `show`, which
    tells the person; returns the function that puts the previous hooks back."""
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook
    logger = logging.getLogger(LOGGER)

    def report(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
        text = describe(kind, exc, tb, extra)
        logger.error("Uncaught error\n%s", text)
        return text

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous_hook(kind, exc, tb)
            return
        show(report(kind, exc, tb), exc)

    def thread_hook(args: Any) -> None:
        if args.exc_value is not None:  # shown when the thread's owner looks at its result
            report(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook, threading.excepthook = hook, thread_hook

    def uninstall() -> None:
        sys.excepthook, threading.excepthook = previous_hook, previous_thread_hook

    return uninstall
