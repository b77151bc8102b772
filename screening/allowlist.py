"""The recruiter allowlist: who may start screens and read their reports (recruiters.yml and CX_COACH_RECRUITERS),
and the admins among them (`admin: true` in recruiters.yml), who may read every recruiter's screens."""

import re
from pathlib import Path
from typing import FrozenSet, Optional, Sequence

from coach.content_files import ContentError, read_yaml, top_level
from screening.settings import ScreeningSettings

_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def load_recruiters(path: Path, extra: Sequence[str] = (), admins_only: bool = False) -> FrozenSet[str]:
    """The Slack user ids allowed to start screens and read reports (with `admins_only`, those of them marked
    `admin: true`). A missing file means no recruiters."""
    ids = set()
    if Path(path).exists():
        root = top_level(path, read_yaml(path), ["recruiters"])
        raw = root.raw["recruiters"] or []
        if not isinstance(raw, list):
            raise ContentError(path, "must be a list of {slack_id, name}", field="recruiters")
        for position, entry in enumerate(raw, start=1):
            slack_id = entry.get("slack_id") if isinstance(entry, dict) else entry
            if not isinstance(slack_id, str) or not _SLACK_USER_ID.match(slack_id):
                raise ContentError(path, "must be a Slack user id such as U0123ABC", f"#{position}", "slack_id")
            admin = entry.get("admin", False) if isinstance(entry, dict) else False
            if not isinstance(admin, bool):
                raise ContentError(path, "must be true or false", f"#{position}", "admin")
            if admin or not admins_only:
                ids.add(slack_id)
    if admins_only:
        return frozenset(ids)
    for slack_id in extra:
        if not _SLACK_USER_ID.match(slack_id):
            raise ValueError(f"CX_COACH_RECRUITERS: '{slack_id}' is not a Slack user id such as U0123ABC")
        ids.add(slack_id)
    return frozenset(ids)


def is_recruiter(user_id: Optional[str], settings: ScreeningSettings) -> bool:
    # Read at every request so that editing the list needs no restart; the file is a few lines.
    return bool(user_id) and user_id in load_recruiters(settings.recruiters_file, settings.extra_recruiters)


def is_admin(user_id: Optional[str], settings: ScreeningSettings) -> bool:
    """An admin reads every recruiter's screens; a recruiter reads only the screens they started."""
    return bool(user_id) and user_id in load_recruiters(settings.recruiters_file, admins_only=True)
