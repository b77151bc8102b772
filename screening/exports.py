"""A finished screen's report as the recruiter reads it in Slack, and as JSON or CSV for an applicant tracking system.

Command line (reads SCREEN_DB; see screening/settings.py):
    python -m screening.exports S1A2B3C              the report as text
    python -m screening.exports S1A2B3C --format json
    python -m screening.exports --all --format csv   every finished screen, one row per question
"""

import argparse
import csv
import io
import json
import sys
from typing import Any, Callable, Dict, Iterable, List

from screening.content import ScreeningContent, load_screening_content
from screening.report import iso_utc
from screening.settings import load_screening_settings
from screening.store import ScreenStore

QUOTE_MAX_CHARS = 200
ANSWER_MAX_CHARS = 600
CSV_FIELDS = ("screen_id", "candidate_id", "recruiter_id", "level", "status", "partial", "created_at", "finished_at",
              "suggested_band", "average_score", "level_ready", "question_number", "question_id", "competency",
              "question_status", "score", "covered_criteria", "missing_criteria", "red_flags", "answer")
# A spreadsheet evaluates a cell that starts with one of these as a formula (=HYPERLINK(...), +cmd|...). OWASP's
# advice: prefix such a cell (leading spaces or not) with a single quote, so it is shown as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _clip(text: Any, limit: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _percent(score: Any) -> str:
    return str(round(score * 100)) if isinstance(score, (int, float)) else "–"


def _unchanged(text: str) -> str:
    return text


def report_sections(report: Dict[str, Any], content: ScreeningContent,
                    quote: Callable[[str], str] = _unchanged) -> List[str]:
    """The report in parts, each a few lines: the heading, one per question, then the profile, readiness and band.
    Slack shows each part as a Block Kit section, so the structure survives. `quote` makes what the candidate wrote
    safe for where it is shown (screening.slack_client.escape for Slack)."""
    text = content.text
    heading = [text("report_heading", screen_id=report["screen_id"], candidate=report["candidate_id"],
                    level=report.get("level_name") or report["level"], question_set=report.get("question_set") or "",
                    answered=report["questions_answered"], asked=report["questions_asked"],
                    average=_percent(report["average_score"]))]
    if report.get("status") == "stopped":
        heading.append(text("report_stopped"))
    elif report.get("partial"):
        heading.append(text(f"report_partial_{report.get('status')}"))
    parts = ["\n".join(heading)]
    for question in report["questions"]:
        lines = [text("report_question", number=question["number"], competency=question.get("competency") or "",
                      question=question["question"])]
        parts.append(lines)
        if question["status"] == "skipped":
            lines.append(text("report_skipped"))
            continue
        if question["status"] != "answered":
            lines.append(text("report_not_reached"))
            continue
        lines.append(text("report_score", score=_percent(question["score"])))
        lines.append(text("report_answer", answer=quote(_clip(question.get("answer"), ANSWER_MAX_CHARS))))
        for item in question["covered"]:
            lines.append(text("report_covered", criterion=item["criterion"],
                              evidence=quote(_clip(item.get("evidence"), QUOTE_MAX_CHARS))))
        for criterion in question["missing"]:
            lines.append(text("report_missing", criterion=criterion))
        for flag in question["red_flags"]:
            explanation = flag.get("explanation") or ""
            if flag.get("quote"):
                explanation = f"{explanation} (“{_clip(flag['quote'], QUOTE_MAX_CHARS)}”)".strip()
            lines.append(text("report_red_flag", name=flag["name"], explanation=quote(explanation)))
    parts = [part if isinstance(part, str) else "\n".join(part) for part in parts]
    closing = []
    profile = report.get("competency_profile") or {}
    if profile:
        closing.append(text("report_competencies", profile=", ".join(
            text("report_competency", competency=name, score=_percent(score))
            for name, score in sorted(profile.items(), key=lambda item: -item[1]))))
    readiness = report["level_readiness"]
    met, total = readiness["indicators_met"], readiness["indicators_total"]
    level = report.get("level_name") or readiness["level"]
    band = report["suggested_band"]
    # "Ready on paper" beside the last band ("Not yet") would contradict it: the band weighs more than indicators.
    if readiness["ready"] and band["id"] != content.bands[-1].id:
        closing.append(text("report_readiness_ready", level=level, met=len(met), total=total, names=", ".join(met)))
    elif met:
        closing.append(text("report_readiness_partly", level=level, met=len(met), total=total, names=", ".join(met)))
    else:
        closing.append(text("report_readiness_none", level=level, total=total))
    closing.append(text("report_band", band=band["label"], meaning=band["meaning"]))
    closing.append(text("report_exports", screen_id=report["screen_id"]))
    return parts + ["\n".join(closing)]


def render_text(report: Dict[str, Any], content: ScreeningContent,
                quote: Callable[[str], str] = _unchanged) -> str:
    """The whole report as text, its parts separated by a blank line."""
    return "\n\n".join(report_sections(report, content, quote))


def to_json(report: Dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


def _cell(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value.lstrip().startswith(FORMULA_STARTS)):
        return "'" + value
    return value


def csv_rows(report: Dict[str, Any]) -> Iterable[Dict[str, Any]]:
    """One row per question, the screen's own fields repeated: the shape ATS imports expect."""
    for question in report["questions"]:
        row = {
            "screen_id": report["screen_id"],
            "candidate_id": report["candidate_id"],
            "recruiter_id": report["recruiter_id"],
            "level": report["level"],
            "status": report.get("status"),
            "partial": bool(report.get("partial")),
            "created_at": iso_utc(report.get("created_at")),
            "finished_at": iso_utc(report.get("finished_at")),
            "suggested_band": report["suggested_band"]["id"],
            "average_score": report["average_score"],
            "level_ready": report["level_readiness"]["ready"],
            "question_number": question["number"],
            "question_id": question["question_id"],
            "competency": question.get("competency"),
            "question_status": question["status"],
            "score": question["score"] if question["score"] is not None else "",
            "covered_criteria": " | ".join(item["criterion"] for item in question["covered"]),
            "missing_criteria": " | ".join(question["missing"]),
            "red_flags": " | ".join(flag["name"] for flag in question["red_flags"]),
            "answer": question.get("answer") or "",
        }
        yield {field: _cell(value) for field, value in row.items()}


def to_csv(reports: Iterable[Dict[str, Any]]) -> str:
    buffer = io.StringIO()
    # Every cell quoted, as OWASP also advises: a lone carriage return in an answer then stays inside its cell.
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for report in reports:
        writer.writerows(csv_rows(report))
    return buffer.getvalue()


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(description="Print a pre-screen's report as text, JSON or CSV.")
    parser.add_argument("screen_id", nargs="?", help="the screen's id, such as S1A2B3C")
    parser.add_argument("--all", action="store_true", help="every finished screen (JSON list or CSV rows)")
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text")
    args = parser.parse_args(argv)
    if bool(args.screen_id) == args.all:
        parser.error("give one screen id, or --all")
    settings = load_screening_settings()
    store = ScreenStore(settings.database)
    if args.all:
        reports = [screen["report"] for screen in store.finished() if screen["report"]]
        if args.format == "text":
            parser.error("--all needs --format json or csv")
    else:
        screen = store.get(args.screen_id.upper())
        if not screen or not screen["report"]:
            status = screen["status"] if screen else "unknown"
            print(f"No report for screen {args.screen_id} (status: {status}) in {store.database.name}", file=sys.stderr)
            return 1
        reports = [screen["report"]]
    if args.format == "csv":
        sys.stdout.write(to_csv(reports))
    elif args.format == "json":
        print(json.dumps(reports if args.all else reports[0], ensure_ascii=False, indent=2))
    else:
        print(render_text(reports[0], load_screening_content(settings.content_path)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
