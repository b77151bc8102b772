"""Checks on the Rasa training data that `rasa data validate --fail-on-warnings` lets through in Rasa 3.6:
an intent with no examples, an intent no rule or story uses, a response that nothing sends."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text())


def data_files():
    return [yaml.safe_load(path.read_text()) for path in sorted((ROOT / "data").glob("*.yml"))]


def test_every_intent_has_training_examples():
    examples = {}
    for document in data_files():
        for item in document.get("nlu", []):
            if "intent" in item:
                examples[item["intent"]] = [line for line in item["examples"].splitlines() if line.strip()]
    for intent in DOMAIN["intents"]:
        assert len(examples.get(intent, [])) >= 5, f"intent '{intent}' needs at least 5 examples in data/nlu.yml"


def test_every_intent_is_used_by_a_rule_or_story():
    used = set()
    for document in data_files():
        for block in document.get("rules", []) + document.get("stories", []):
            used |= {step["intent"] for step in block["steps"] if "intent" in step}
    unused = set(DOMAIN["intents"]) - used
    assert not unused, f"intents no rule or story uses: {sorted(unused)}"


def test_every_response_is_sent_by_a_rule_a_story_the_form_an_action_or_a_channel():
    data_text = "\n".join((ROOT / "data" / name).read_text() for name in ("rules.yml", "stories.yml"))
    # A channel sends utter_message_too_long itself: the message it answers never reaches the dialogue.
    actions_text = "\n".join(path.read_text() for folder in ("actions", "channels")
                             for path in (ROOT / folder).glob("*.py"))
    form_asks = {f"utter_ask_{slot}" for form in DOMAIN["forms"].values() for slot in form["required_slots"]}
    unused = [
        name for name in DOMAIN["responses"]
        if name not in form_asks and not re.search(rf"\b{name}\b", data_text + actions_text)
    ]
    assert not unused, f"responses nothing sends: {unused}"
