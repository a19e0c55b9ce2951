"""The after-action report from the ending screen: HTML (one self-contained page, for a browser or the
projector) and Markdown with its SVG chart beside it (for documents), next to the save.

    paths = write_report(session)    # [x.html, x.md, x-tracks.svg]; ReportError if it cannot be written

The report is `wargame.lab.report` over `wargame.lab.chronicle.tell`, the same as `wargame report`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from wargame.session import Session
from wargame.session.facilitator import is_steering

__all__ = ["ReportError", "report_base", "write_report"]


class ReportError(OSError):
    """The report could not be written; the message names the file and why."""


def report_base(session: Session) -> Path:
    """The path the report files are named after: the save, else a name in the working folder."""
    if session.save_path is not None:
        return session.save_path
    return Path.cwd() / f"{session.deck.info.id}-seed{session.state.seed}.toml"


def _setup(session: Session, now: datetime) -> dict[str, str]:
    deck, state = session.deck, session.state
    steering = sum(1 for action in session.actions if is_steering(action))
    players = ", ".join(f"{deck.nation(n).name}: {c}" for n, c in state.controllers.items())
    started = (session.created or now).astimezone(UTC)
    return {
        "Deck": f"{deck.info.title} v{deck.info.version} ({session.deck_path})",
        "Seed": str(state.seed),
        "Players": players,
        "Started": started.isoformat(timespec="minutes"),
        "Reported": now.astimezone(UTC).isoformat(timespec="minutes"),
        "Decisions": f"{len(session.actions) - steering}, and {steering} facilitator action(s)",
    }


def write_report(session: Session, now: datetime | None = None) -> list[Path]:
    """Write the report in HTML and in Markdown (with the chart as an SVG file); return the paths."""
    from wargame.lab.chronicle import tell
    from wargame.lab.report import html_report, markdown_report, tracks_svg

    state = session.state
    chronicle = tell(session.deck, state.seed, state.controllers, session.actions)
    setup = _setup(session, now or datetime.now(UTC))
    base = report_base(session)
    page, text = base.with_suffix(".html"), base.with_suffix(".md")
    chart = base.with_name(f"{base.stem}-tracks.svg")
    files = {
        page: html_report(chronicle, setup),
        text: markdown_report(chronicle, setup, chart.name),
        chart: tracks_svg(session.deck, chronicle.state.history),
    }
    for path, content in files.items():
        try:
            path.write_text(content, encoding="utf-8")
        except OSError as error:
            raise ReportError(f"cannot write {path}: {error.strerror or error}") from error
    return list(files)
