"""The core CX metrics (NPS, CSAT, CES): recognising them in an answer by name or by description."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import numpy as np

from actions.content_files import read_yaml, top_level, unique_ids

# A sentence describes a metric when it is at least this close to one of the metric's descriptions
# and closer to that metric than to any other.
DESCRIPTION_THRESHOLD = 0.6


@dataclass(frozen=True)
class CxMetric:
    id: str
    abbreviation: str
    name: str
    aliases: Tuple[str, ...]
    descriptions: Tuple[str, ...]
    measures: str

    @property
    def pattern(self) -> "re.Pattern":
        alternatives = "|".join(re.escape(alias) for alias in sorted(self.aliases, key=len, reverse=True))
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class MetricMention:
    metric: CxMetric
    how: str  # "name" or "description"
    sentence: str


def load_cx_metrics(path: Path) -> List[CxMetric]:
    path = Path(path)
    root = top_level(path, read_yaml(path), ("metrics",))
    records = root.records("metrics", ("id", "abbreviation", "name", "aliases", "descriptions", "measures"))
    unique_ids(path, records, "metric")
    return [
        CxMetric(
            id=r.text("id"),
            abbreviation=r.text("abbreviation"),
            name=r.text("name"),
            aliases=r.texts("aliases"),
            descriptions=r.texts("descriptions"),
            measures=r.text("measures"),
        )
        for r in records
    ]


class MetricDetector:
    def __init__(self, metrics: Sequence[CxMetric], embedder):
        self.metrics = list(metrics)
        self.embedder = embedder
        self._description_owner: List[int] = []
        descriptions: List[str] = []
        for index, metric in enumerate(self.metrics):
            descriptions.extend(metric.descriptions)
            self._description_owner.extend([index] * len(metric.descriptions))
        self._descriptions = descriptions
        self._owner = np.array(self._description_owner)
        embedder.encode_cached(descriptions)  # warm the cache at start-up, not on the first answer

    def find(self, sentences: Sequence[str], sentence_vectors: np.ndarray) -> Dict[str, MetricMention]:
        """Map metric id to the first sentence that names it or, failing that, the sentence that describes it best."""
        mentions: Dict[str, MetricMention] = {}
        for metric in self.metrics:
            for sentence in sentences:
                if metric.pattern.search(sentence):
                    mentions[metric.id] = MetricMention(metric, "name", sentence)
                    break
        if not len(sentences):
            return mentions
        similarities = sentence_vectors @ self.embedder.encode_cached(self._descriptions).T
        best_by_metric: Dict[str, Tuple[float, str]] = {}
        for row, sentence in enumerate(sentences):
            if any(metric.pattern.search(sentence) for metric in self.metrics):
                continue  # a sentence that names a metric is about that metric, not a description of another
            per_metric = [float(similarities[row, self._owner == index].max()) for index in range(len(self.metrics))]
            winner = int(np.argmax(per_metric))
            if per_metric[winner] >= DESCRIPTION_THRESHOLD:
                metric_id = self.metrics[winner].id
                if per_metric[winner] > best_by_metric.get(metric_id, (0.0, ""))[0]:
                    best_by_metric[metric_id] = (per_metric[winner], sentence)
        for index, metric in enumerate(self.metrics):
            if metric.id not in mentions and metric.id in best_by_metric:
                mentions[metric.id] = MetricMention(metric, "description", best_by_metric[metric.id][1])
        return mentions
