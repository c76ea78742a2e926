"""``python -m analysis store [--store URL] COMMAND``: look into and tidy the history store.

Commands: ``where`` (the store's URL and files folder), ``jumpers``, ``sessions [--jumper
NAME]``, ``class [--jumper NAME ...] [--sort COLUMN] [--desc] [--csv FILE]``, ``trend NAME``,
``export ID [--out FILE]`` (the JSON with corrections and the original detection),
``report ID [--out FILE.html] [--no-stills]`` (the printable page), ``delete-session ID``,
``delete-jumper NAME --yes``. Exit status 0, or 2 with a one-line reason.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import classview
from .location import ENV_URL, StoreError
from .store import Store, open_store


def _fmt(v, nd: int = 1) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


def _write(text: str, out: str | None, what: str) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"Wrote {what} to {out}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis store", description="The history of analysed sessions.")
    ap.add_argument(
        "--store",
        default=None,
        metavar="URL",
        help=f"SQLAlchemy URL (default: ${ENV_URL}, else the default file in the user's data folder)",
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("where", help="where the store and its kept files are")
    sub.add_parser("jumpers", help="every jumper with their number of sessions")
    p = sub.add_parser("sessions", help="sessions, oldest first")
    p.add_argument("--jumper", default=None)
    p = sub.add_parser("class", help="the class table (jumper, date, count, cadence, height, top fault)")
    p.add_argument("--jumper", action="append", default=None, help="only these jumpers (repeat)")
    p.add_argument("--sort", default="recorded_at", help=f"column to sort by: {', '.join(classview.COLUMNS)}")
    p.add_argument("--desc", action="store_true", help="largest first")
    p.add_argument("--csv", default=None, metavar="FILE", help="write CSV to FILE (default: print it)")
    p = sub.add_parser("trend", help="a jumper's sessions over time and personal bests")
    p.add_argument("jumper")
    p = sub.add_parser("export", help="one session's JSON (corrected, with the original detection)")
    p.add_argument("id", type=int)
    p.add_argument("--out", default=None)
    p = sub.add_parser("report", help="one session's printable HTML page")
    p.add_argument("id", type=int)
    p.add_argument("--out", default=None)
    p.add_argument("--no-stills", action="store_true", help="name the frames without pictures")
    p = sub.add_parser("delete-session", help="delete a session and its kept clip")
    p.add_argument("id", type=int)
    p = sub.add_parser("delete-jumper", help="delete a jumper with all their sessions and kept clips")
    p.add_argument("jumper")
    p.add_argument("--yes", action="store_true", help="really delete")
    args = ap.parse_args(argv)
    try:
        with open_store(args.store) as store:
            return _run(store, args)
    except (StoreError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _run(store: Store, args: argparse.Namespace) -> int:
    if args.cmd == "where":
        print(f"store: {store.url}\nkept files: {store.files.root or '(none: in-memory store)'}")
    elif args.cmd == "jumpers":
        for j in store.list_jumpers():
            last = j.last_recorded_at.astimezone().date().isoformat() if j.last_recorded_at else "-"
            print(f"{j.name}\t{j.n_sessions} session{'s' if j.n_sessions != 1 else ''}\tlast {last}")
    elif args.cmd == "sessions":
        for s in store.list_sessions(args.jumper):
            print(
                f"{s.id}\t{s.jumper}\t{s.recorded_at.astimezone():%Y-%m-%d %H:%M}\t{s.clip_name}\t{s.jump_count} jumps"
                f"\t{_fmt(s.jumps_per_minute, 0)}/min\tstreak {s.longest_streak}"
                f"{chr(9) + 'clip kept' if s.clip_kept else ''}"
            )
    elif args.cmd == "class":
        rows = store.class_rows(args.jumper, sort_by=args.sort, descending=args.desc)
        _write(classview.to_csv(rows), args.csv, "the class table")
    elif args.cmd == "trend":
        for r in store.trend(args.jumper):
            print(
                f"{r['session_id']}\t{r['recorded_at'].astimezone():%Y-%m-%d}\t{r['jump_count']} jumps\t"
                f"{_fmt(r['jumps_per_minute'], 0)}/min\tstreak {r['longest_streak']}\t"
                f"height {_fmt(r['mean_height_cm'])} cm"
            )
        pb = store.personal_bests(args.jumper)
        for k in ("most_jumps", "longest_streak", "fastest_cadence"):
            b = pb[k]
            print(
                f"best {k.replace('_', ' ')}: {_fmt(b['value'], 0) if b else '-'}"
                f"{' (session ' + str(b['session_id']) + ')' if b else ''}"
            )
    elif args.cmd == "export":
        _write(json.dumps(store.export(args.id), indent=2, ensure_ascii=False), args.out, "the JSON export")
    elif args.cmd == "report":
        _write(store.printable_report(args.id, stills=not args.no_stills), args.out, "the printable report")
    elif args.cmd == "delete-session":
        gone = store.delete_session(args.id)
        print(f"Deleted session {args.id} ({gone.files} kept file{'s' if gone.files != 1 else ''} removed)")
    elif args.cmd == "delete-jumper":
        if not args.yes:
            print(f"error: this deletes every session of {args.jumper!r}; add --yes to confirm", file=sys.stderr)
            return 2
        gone = store.delete_jumper(args.jumper)
        print(
            f"Deleted {args.jumper}: {gone.sessions} session{'s' if gone.sessions != 1 else ''}, "
            f"{gone.files} kept file{'s' if gone.files != 1 else ''}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
