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


def training_examples():
    """Every NLU training example, by intent."""
    examples = {}
    for document in data_files():
        for item in document.get("nlu", []):
            if "intent" in item:
                examples.setdefault(item["intent"], []).extend(
                    line.strip()[2:] for line in item["examples"].splitlines() if line.strip())
    return examples


def plain(text):
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def test_no_held_out_phrasing_is_in_the_training_data():
    """tests/nlu/held_out*.yml measure the NLU on words it never saw; a copy in data/ would test its memory."""
    trained = {plain(example) for examples in training_examples().values() for example in examples}
    held_out = [item for path in sorted((ROOT / "tests" / "nlu").glob("held_out*.yml"))
                for item in yaml.safe_load(path.read_text())["nlu"]]
    copied = [line for item in held_out for line in item["examples"].splitlines()
              if line.strip() and plain(line.strip()[2:]) in trained]
    assert not copied


def test_buttons_typed_out_read_as_what_the_button_sends():
    """A candidate may type a button's label, or its payload, instead of tapping it: the NLU is trained on both, as
    examples of the intent the button sends (the check's yes / no, the levels)."""
    examples = {intent: {plain(example) for example in found} for intent, found in training_examples().items()}
    buttons = {"utter_confirm_command": None, "utter_ask_level": "choose_level"}
    missing = []
    for response, intent in buttons.items():
        for button in DOMAIN["responses"][response][0]["buttons"]:
            sends = intent or button["payload"].lstrip("/")
            typed = [button["title"]] + ([] if button["payload"].startswith("/") else [button["payload"]])
            missing += [(text, sends) for text in typed if plain(text) not in examples.get(sends, set())]
    assert not missing
