"""The after-action report from the ending screen: HTML (one self-contained page, for a browser or the
projector) and Markdown with its SVG chart beside it (for documents), next to the save.

    paths = write_report(session)    # [x.html, x.md, x-tracks.svg (, x-postures.svg)]; or ReportError

The session gives `wargame.lab.report` the record its save holds, so the files are the same bytes as
`wargame report` writes from that save (but for the Markdown's link to its chart, named after it).
"""

from __future__ import annotations

from pathlib import Path

from wargame.lab import report
from wargame.lab.report import GameRecord, ReportError
from wargame.session import Session

__all__ = ["ReportError", "record_of", "report_base", "write_report"]


def report_base(session: Session) -> Path:
    """The path the report files are named after: the save, else a name in the working folder."""
    if session.save_path is not None:
        return session.save_path
    return Path.cwd() / f"{session.deck.info.id}-seed{session.state.seed}.toml"


def record_of(session: Session) -> GameRecord:
    """The session's game as its save records it (the deck file's path resolved, as a save writes it)."""
    state = session.state
    return GameRecord(
        session.deck,
        Path(session.deck_path).resolve(),
        state.seed,
        state.controllers,
        tuple(session.actions),
        session.created,
        session.last_saved,
        tuple(session.deciders),
        tuple(session.undone),
        session.branched_from,
    )


def write_report(session: Session) -> list[Path]:
    """Write the report in HTML and in Markdown (with the chart as an SVG file) beside the save;
    return the paths, the page first."""
    base = report_base(session)
    return report.write_report(
        record_of(session), html=base.with_suffix(".html"), markdown=base.with_suffix(".md")
    )
