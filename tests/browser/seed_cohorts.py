"""Fill a progress database with two cohorts for the instructor page's browser test, and print their tokens and join
codes as JSON. Four weeks of mid-level interviews whose scores rise, with evidence sentences taken from each criterion's
examples (content/criterion_examples.yml), so the page shows what a real class looks like.

Usage: python tests/browser/seed_cohorts.py sqlite:///path/progress.db
"""

import json
import random
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))

from bootcamp import store as tables  # noqa: E402
from bootcamp.store import ProgressStore  # noqa: E402
from coach.question_bank import attach_criterion_examples, load_question_bank  # noqa: E402
from tests.bootcamp_data import DAY, START, finish, record  # noqa: E402

MARKUP_NAME = '<img src=x onerror="window.__injected = 1">Dee'
SPRING = ["Ana Lee", "Ben Okafor", "Chloé Martin", None, MARKUP_NAME]
AUTUMN = ["Zoe Autumn", "Yusuf Autumn"]
QUESTIONS = ["measure_cx_success", "voc_program", "journey_mapping", "spotting_trend", "above_and_beyond",
             "technology_tools", "negative_to_positive", "gather_customer_feedback"]


def interview(bank, rng, question_ids, skill):
    """Records whose scores and covered criteria follow the learner's skill (0 to 1)."""
    records = []
    for question_id in question_ids:
        criteria = bank.questions[question_id].criteria
        covered = [c.id for c in criteria if rng.random() < skill]
        evidence = {c.id: rng.choice(c.examples) for c in criteria}
        if question_id == "voc_program" and "clear_goals" in covered:
            evidence["clear_goals"] = "<script>window.__injected = 2</script> We set one goal: cut repeat calls by 20%."
        score = min(0.95, max(0.05, len(covered) / len(criteria) * 0.9 + rng.uniform(-0.05, 0.05)))
        records.append(record(bank, question_id, round(score, 2), covered, evidence=evidence,
                              answer=" ".join(evidence[cid] for cid in covered) or "I am not sure."))
    return records


def seed(url):
    bank = attach_criterion_examples(load_question_bank(PROJECT_ROOT / "content" / "question_bank.yml"),
                                     PROJECT_ROOT / "content" / "criterion_examples.yml")
    store = ProgressStore(url)
    rng = random.Random(15)
    found = {}
    for key, name, people in (("spring", "Spring CX bootcamp", SPRING), ("autumn", "Autumn CX evening class", AUTUMN)):
        cohort = store.create_cohort(name)
        found[key] = {"name": name, "token": cohort.instructor_token, "code": cohort.join_code}
        for number, person in enumerate(people, start=1):
            learner = f"web:{key}-{number}"
            store.note_learner(learner, f"web-{key}-{number}", person)
            store.join(cohort.cohort_id, learner, person)
            with store.engine.begin() as db:  # they joined at the start of the course
                db.execute(tables.memberships.update().where(tables.memberships.c.learner_id == learner)
                           .values(joined_at=START - DAY))
            skill = 0.25 + 0.08 * number
            for week in range(4 if person != MARKUP_NAME else 2):
                questions = rng.sample(QUESTIONS, 3)
                finish(store, bank, learner, interview(bank, rng, questions, skill + 0.1 * week),
                       START + week * 7 * DAY + number * 3600)
        store.add_assignment(cohort.cohort_id, "Metrics week" if key == "spring" else "Evening warm-up", "mid",
                             ["metrics_roi"] if key == "spring" else [], [], 2, "2026-12-18")
    return found


if __name__ == "__main__":
    print(json.dumps(seed(sys.argv[1])))
