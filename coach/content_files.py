"""Reading and checking the YAML content files, with errors that point at the file, the item and the field."""

from pathlib import Path
from typing import Any, Iterable, Optional

import yaml


class ContentError(ValueError):
    """A content file is missing, malformed or breaks a rule; the message names file, item id and field."""

    def __init__(self, path: Path, problem: str, item_id: Optional[str] = None, field: Optional[str] = None):
        self.path = Path(path)
        self.item_id = item_id
        self.field = field
        self.problem = problem
        where = str(self.path)
        if item_id:
            where += f", item '{item_id}'"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {problem}")


def read_yaml(path: Path) -> dict:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ContentError(path, f"cannot be read ({error.strerror})") from error
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ContentError(path, f"is not valid YAML: {error}") from error
    if not isinstance(document, dict):
        raise ContentError(path, "must be a YAML mapping at the top level")
    if document.get("version") != 1:
        raise ContentError(path, "must say 'version: 1'", field="version")
    return document


class Record:
    """One mapping from a content file, checked field by field as it is read."""

    def __init__(self, path: Path, raw: Any, item_id: Optional[str], required: Iterable[str],
                 optional: Iterable[str] = ()):
        self.path = path
        self.item_id = item_id
        if not isinstance(raw, dict):
            raise ContentError(path, "must be a mapping of fields", item_id)
        required, optional = set(required), set(optional)
        for field in sorted(set(raw) - required - optional):
            raise ContentError(path, "is not a known field", item_id, field)
        for field in sorted(required - set(raw)):
            raise ContentError(path, "is missing", item_id, field)
        self.raw = raw

    def error(self, field: str, problem: str) -> ContentError:
        return ContentError(self.path, problem, self.item_id, field)

    def text(self, field: str, default: Optional[str] = None) -> str:
        value = self.raw.get(field, default)
        if not isinstance(value, str) or not value.strip():
            raise self.error(field, "must be non-empty text")
        return value.strip()

    def texts(self, field: str, minimum: int = 1, maximum: Optional[int] = None,
              default: Optional[list] = None) -> tuple:
        value = self.raw.get(field, default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(field, "must be a list of non-empty texts")
        if len(value) < minimum or (maximum is not None and len(value) > maximum):
            bounds = f"{minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
            raise self.error(field, f"must have {bounds} entries, has {len(value)}")
        return tuple(v.strip() for v in value)

    def records(self, field: str, required: Iterable[str], optional: Iterable[str] = (), minimum: int = 1,
                maximum: Optional[int] = None) -> list:
        value = self.raw.get(field)
        if not isinstance(value, list):
            raise self.error(field, "must be a list")
        if len(value) < minimum or (maximum is not None and len(value) > maximum):
            bounds = f"{minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
            raise self.error(field, f"must have {bounds} entries, has {len(value)}")
        children = []
        for position, raw in enumerate(value, start=1):
            child_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else f"#{position}"
            label = f"{self.item_id}/{child_id}" if self.item_id else child_id
            children.append(Record(self.path, raw, label, required, optional))
        return children

    def flag(self, field: str, default: bool = False) -> bool:
        value = self.raw.get(field, default)
        if not isinstance(value, bool):
            raise self.error(field, "must be true or false")
        return value

    def number(self, field: str) -> float:
        value = self.raw.get(field)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(field, "must be a number")
        return value

    def choice(self, field: str, allowed: Iterable[str]) -> str:
        value = self.text(field)
        allowed = sorted(allowed)
        if value not in allowed:
            raise self.error(field, f"is '{value}', expected one of: {', '.join(allowed)}")
        return value


def top_level(path: Path, document: dict, required: Iterable[str], optional: Iterable[str] = ()) -> Record:
    return Record(path, document, None, set(required) | {"version"}, optional)


def unique_ids(path: Path, records: list, kind: str) -> None:
    seen = set()
    for record in records:
        identifier = record.text("id")
        if identifier in seen:
            raise ContentError(path, f"duplicate {kind} id", identifier, "id")
        seen.add(identifier)
