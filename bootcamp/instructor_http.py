"""The instructor page's data over HTTP, for the page server (scripts/serve_web.py), which serves the page itself
from web/instructor/. No web framework: a request's path and Authorization header in, a status, headers and body out.

    GET /instructor/api/cohort        the cohort's overview (JSON)
    GET /instructor/api/roster.csv    the roster
    GET /instructor/api/answers.csv   every scored answer

Each request must carry `Authorization: Bearer <instructor token>`. The token alone says which cohort: no cohort id
is ever taken from the request, so one cohort's token cannot reach another's data. A missing and a wrong token get
the same 401, so the answer tells nothing about which tokens exist.
"""

import json
import logging
from dataclasses import dataclass, field
from typing import Dict, Optional

from bootcamp.exports import answers_csv, roster_csv
from bootcamp.instructor import CohortView
from bootcamp.store import ProgressStore
from bootcamp.texts import load_learner_texts
from coach.question_bank import load_question_bank
from coach.settings import load_settings

logger = logging.getLogger(__name__)
PREFIX = "/instructor/api/"


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    headers: Dict[str, str] = field(default_factory=dict)


def _json(status: int, document: Dict, headers: Optional[Dict[str, str]] = None) -> Reply:
    return Reply(status, "application/json", json.dumps(document, ensure_ascii=False).encode(), headers or {})


def _bearer(authorization: Optional[str]) -> str:
    scheme, _, token = (authorization or "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


class InstructorApi:
    def __init__(self, store: Optional[ProgressStore] = None):
        content = load_settings().content_dir
        self.store = store or ProgressStore()
        self.bank = load_question_bank(content / "question_bank.yml")
        self.texts = load_learner_texts(content / "learners.yml")
        self.view = CohortView(self.store, self.bank, self.texts)

    def handle(self, path: str, authorization: Optional[str]) -> Reply:
        resource = path[len(PREFIX):] if path.startswith(PREFIX) else None
        if resource not in ("cohort", "roster.csv", "answers.csv"):
            return _json(404, {"error": "There is no such page."})
        cohort = self.store.cohort_by_token(_bearer(authorization))
        if cohort is None:
            return _json(401, {"error": "This page opens only with a cohort's instructor token (the one make cohort "
                                        "printed)."}, {"WWW-Authenticate": 'Bearer realm="instructor"'})
        if resource == "cohort":
            return _json(200, self.view.overview(cohort))
        body = (roster_csv(self.view.overview(cohort)) if resource == "roster.csv"
                else answers_csv(self.store, cohort, self.bank, self.texts))
        name = f"{cohort['cohort_id']}-{resource.replace('.csv', '')}.csv"
        return Reply(200, "text/csv; charset=utf-8", body.encode(),
                     {"Content-Disposition": f'attachment; filename="{name}"'})
