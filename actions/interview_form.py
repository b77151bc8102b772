"""The interview form: takes the level, the number of questions, then one answer per question, with feedback.

Every message typed while a question is open arrives here as the `answer` slot (a from_text slot with conditions),
whatever intent the NLU gives it. This validator decides what each message is, from the NLU's intent and confidence
(coach/commands.py): an answer to score, a request to carry out (repeat, hint, help, skip, stop, restart, undo), a
possible request to check with the candidate first, or a button payload meant for another moment.
"""

import asyncio
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.employer_step import EmployerQuestionsStep, not_in_a_screen
from actions.learner_actions import learner_request_in_setup
from actions.tracker import (
    INTERVIEW_SLOTS,
    InterviewProgress,
    answer_handling,
    came_through_slack,
    in_thread,
    is_answer_sent_again,
    latest_parse,
    send_last_reply_again,
)
from actions.try_again import TryAgain, ask_retry
from coach import web_payload
from coach.coach import get_coach
from coach.commands import Parse, Reading
from coach.interview import max_questions, plan_questions, read_level, read_question_count, with_record
from screening.service import get_screening

_HAS_WORD = re.compile(r"\w")

# What ends the form when its screen was cancelled or expired: the screen's end action then says it closed.
SCREEN_CLOSED = {"answer": None, "requested_slot": None}

# What each command means while the level or the number of questions is being chosen (nothing else applies there).
SETUP_COMMANDS = {"stop": "stop", "restart": "restart", "help": "help", "hint": "help"}
SETUP_HELP = {"level": "utter_help_level", "question_count": "utter_help_question_count"}


class ValidateInterviewForm(TryAgain, EmployerQuestionsStep, FormValidationAction):
    def name(self) -> Text:
        return "validate_interview_form"

    # --- setting up ----------------------------------------------------------------------------------------------

    async def validate_level(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("question_plan"):  # the questions were chosen before the form started: keep them
            return {"level": value}
        level = read_level(str(value or ""), get_coach().bank)
        if level is not None:
            return {"level": level}
        return await self._setup_reply_not_read("level", dispatcher, tracker, domain, "utter_level_unclear")

    async def validate_question_count(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("question_plan"):  # the questions were chosen before the form started: keep them
            return {"question_count": value}
        bank = get_coach().bank
        level = tracker.get_slot("level")
        available = max_questions(bank, level)
        count = read_question_count(str(value or ""), available)
        if count is None:
            return await self._setup_reply_not_read("question_count", dispatcher, tracker, domain,
                                                    "utter_count_unclear", max_questions=available)
        seed = f"{tracker.sender_id}:{int(tracker.get_slot('interviews_completed') or 0)}"
        plan = plan_questions(bank, level, count, seed)
        intro = "utter_interview_intro_one_question" if count == 1 else "utter_interview_intro"
        dispatcher.utter_message(response=intro, count=count, level=bank.levels[level].name.lower())
        return {"question_count": count, "question_plan": plan, "question_index": 0, "interview_results": [],
                "question_shown": None, "last_answer_text": None, "interview_stopped": False}

    async def _setup_reply_not_read(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict, unclear: str, **values: Any) -> Dict[Text, Any]:
        """A reply to the level or count question that is not a level or a count: a learner's request, a command
        ("help", "stop"), or else the question's "I didn't get that"."""
        request = await learner_request_in_setup(slot, dispatcher, tracker, domain)
        if request is not None:
            return request
        command = self._setup_command(tracker)
        if command:
            return self._run_setup_command(command, dispatcher, tracker, slot)
        dispatcher.utter_message(response=unclear, **values)
        return {slot: None}

    @staticmethod
    def _setup_command(tracker: Tracker) -> Optional[str]:
        """A request made instead of a level or a number. Nothing typed here can be lost, so none is checked first."""
        reading = get_coach().commands.read(latest_parse(tracker))
        return SETUP_COMMANDS.get(reading.command.id) if reading.command and reading.kind != "answer" else None

    @staticmethod
    def _run_setup_command(command: str, dispatcher: CollectingDispatcher, tracker: Tracker,
                           slot: str) -> Dict[Text, Any]:
        # An interview whose questions were chosen before the form started never gets here.
        if command == "stop":
            dispatcher.utter_message(response="utter_stopping")
            return {slot: None, "requested_slot": None, "interview_stopped": True}
        if command == "restart":
            dispatcher.utter_message(response="utter_starting_over")
            return {slot: None, "level": None}
        if slot == "question_count":
            available = max_questions(get_coach().bank, tracker.get_slot("level"))
            dispatcher.utter_message(response=SETUP_HELP[slot], max_questions=available)
        else:
            dispatcher.utter_message(response=SETUP_HELP[slot])
        return {slot: None}

    # --- answering ------------------------------------------------------------------------------------------------

    async def validate_answer(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        progress = InterviewProgress(tracker)
        if not progress.plan:  # the form was resumed without a plan (should not happen); set it up again
            return {"answer": None, "question_count": None}
        if answer_handling(tracker).slack_only and not came_through_slack(tracker):
            # Someone posting to the REST channel with the candidate's id: no answer, command or stop is taken.
            dispatcher.utter_message(response="utter_screen_slack_only")
            return {"answer": None}
        screen_id = tracker.get_slot("screen_id")
        if screen_id and not await in_thread(get_screening().is_in_progress, screen_id):
            return SCREEN_CLOSED  # cancelled or expired meanwhile: action_finish_screen tells the candidate
        slots = await self._validate_open_answer(progress, dispatcher, tracker)
        if screen_id and "interview_results" in slots and not await in_thread(
                get_screening().save_answers, screen_id, slots["interview_results"]):
            return SCREEN_CLOSED  # closed while this answer was being read
        return not_in_a_screen(slots) if screen_id else slots

    async def _validate_open_answer(self, progress: InterviewProgress, dispatcher: CollectingDispatcher,
                                    tracker: Tracker) -> Dict[Text, Any]:
        parse = latest_parse(tracker)
        pending = tracker.get_slot("pending_command")
        if pending:
            cleared = {"pending_command": None, "pending_answer": None}
            decision = get_coach().commands.confirmation(parse)
            if decision is True:
                return {**cleared, **await self._run_command(pending, progress, dispatcher, tracker)}
            if decision is False:
                return {**cleared, **await self._take_answer(tracker.get_slot("pending_answer"), progress, dispatcher,
                                                             tracker)}
            # Anything else is a new message in its own right: the candidate moved on.
            return {**cleared, **await self._read_message(parse, progress, dispatcher, tracker)}
        return await self._read_message(parse, progress, dispatcher, tracker)

    async def _read_message(self, parse: Parse, progress: InterviewProgress, dispatcher: CollectingDispatcher,
                            tracker: Tracker) -> Dict[Text, Any]:
        commands = get_coach().commands
        reading = commands.read(parse)
        if progress.follow_up and (reading.command == commands.by_id("skip") or (
                not parse.is_payload and commands.confirmation(parse) is False)):
            return self._decline_follow_up(progress, dispatcher)  # "next", "no thanks": nothing is lost
        if reading.kind == "check" and reading.command.id == "undo" and not tracker.get_slot("undo_point"):
            reading = Reading("answer")  # nothing to take back, so a doubtful "take it back" is an answer
        if reading.kind == "stale":
            dispatcher.utter_message(response="utter_stale_button")
            return {"answer": None}
        if reading.kind == "command":
            return await self._run_command(reading.command.id, progress, dispatcher, tracker)
        if reading.kind == "check":
            dispatcher.utter_message(response="utter_confirm_command", command_label=reading.command.label,
                                     word=parse.text.strip())
            return {"answer": None, "pending_command": reading.command.id, "pending_answer": parse.text}
        return await self._take_answer(parse.text, progress, dispatcher, tracker)

    async def _take_answer(self, text: str, progress: InterviewProgress, dispatcher: CollectingDispatcher,
                           tracker: Tracker) -> Dict[Text, Any]:
        if not text.strip():
            dispatcher.utter_message(response="utter_empty_answer")
            return {"answer": None}
        if not _HAS_WORD.search(text):
            dispatcher.utter_message(response="utter_no_words")
            return {"answer": None}
        if is_answer_sent_again(tracker, text):
            send_last_reply_again(dispatcher, tracker)
            return _show_again(progress)  # and what came after it: the next question, or the follow-up
        if tracker.get_slot("retry"):
            return await self.take_retry_answer(text, progress, dispatcher, tracker)
        first_message = len(dispatcher.messages)
        if progress.follow_up:
            slots = await self._take_follow_up_answer(text, progress, tracker, dispatcher)
        else:
            slots = await self._take_first_answer(text, progress, tracker, dispatcher)
        # Where the interview stood before this answer, so "undo" can take it back, and the reply it got, to send
        # again if the same answer arrives twice.
        replaced = next((record for record in progress.results if record.get("number") == progress.number), None)
        undo_point = {"index": progress.index, "number": progress.number, "follow_up": progress.follow_up,
                      "replaced": replaced}
        return {**slots, "undo_point": undo_point, "last_reply": dispatcher.messages[first_message:]}

    async def _take_first_answer(self, text: str, progress: InterviewProgress, tracker: Tracker,
                                 dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        coach = get_coach()
        # Scoring embeds text on the CPU; run it off the event loop so other conversations are not held up.
        result = await asyncio.get_running_loop().run_in_executor(None, coach.assess, progress.question_id, text)
        handling = answer_handling(tracker)
        # Without feedback there is no score to show and so no follow-up on a gap either.
        ask_follow_up = handling.feedback and coach.settings.follow_ups and result.follow_up is not None
        if not handling.feedback:
            dispatcher.utter_message(response=handling.receipt_response)
        else:
            # When the bot asks the follow-up itself next, the feedback does not also offer it as one to prepare.
            shown = result.without_follow_up() if ask_follow_up else result
            card = web_payload.answer_feedback(shown, coach.bank, coach.texts, progress.number, progress.total, text)
            self._send_feedback(coach.feedback(shown), card, tracker, dispatcher)
        record = coach.result_record(result, progress.number, text)
        if ask_follow_up:
            # Keep the answer (a stop now still reports it) and stay on this question for one follow-up.
            return {"answer": None, "interview_results": progress.results + [record], "last_answer_text": text,
                    "follow_up": {"index": progress.index, "question": result.follow_up,
                                  "target": result.follow_up_target, "answer": text, "shown": False}}
        return self._advance(progress, progress.results + [record], text)

    async def _take_follow_up_answer(self, text: str, progress: InterviewProgress, tracker: Tracker,
                                     dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        """The answer to the follow-up counts toward the same question: both are scored together, the better kept."""
        coach = get_coach()
        original = progress.follow_up["answer"]
        outcome = await asyncio.get_running_loop().run_in_executor(
            None, coach.assess_with_follow_up, progress.question_id, original, text)
        card = web_payload.follow_up_feedback(outcome, coach.bank, coach.texts, progress.number, progress.total,
                                              original, progress.follow_up["question"], text)
        self._send_feedback(coach.follow_up_feedback(outcome), card, tracker, dispatcher)
        record = coach.result_record(outcome.kept, progress.number, original, follow_up_answer=text,
                                     follow_up_counted=outcome.counted)
        return self._advance(progress, with_record(progress.results, record), text)

    @staticmethod
    def _send_feedback(text: str, card: Dict[str, Any], tracker: Tracker, dispatcher: CollectingDispatcher) -> None:
        """The feedback text, with the card's structured data for the chat page (REST channel only)."""
        wanted = web_payload.wanted(tracker.get_latest_input_channel())
        dispatcher.utter_message(text=text, json_message=card if wanted else None)

    def _decline_follow_up(self, progress: InterviewProgress, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        dispatcher.utter_message(response="utter_follow_up_declined", number=progress.number)
        return self._advance(progress, progress.results, progress.follow_up["answer"])

    @staticmethod
    def _advance(progress: InterviewProgress, results: List[Dict[str, Any]], text: Optional[str]) -> Dict[Text, Any]:
        """Store the results and move to the next question; after the last one, fill `answer` so the form ends."""
        slots = {"interview_results": results, "question_index": progress.index + 1, "question_shown": None,
                 "follow_up": None, "undo_point": None}
        if text is not None:
            slots["last_answer_text"] = text
        slots["answer"] = (text or "(skipped)") if progress.is_last else None
        return slots

    @staticmethod
    def _undo(point: Optional[Dict[str, Any]], progress: InterviewProgress,
              dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        """Take back the answer scored last: its record goes (the summary and the report never count it), the record
        it replaced comes back (the first answer, when it was a follow-up reply), and its question or follow-up opens
        again."""
        if not point:
            dispatcher.utter_message(response="utter_nothing_to_undo")
            return {"answer": None}
        results = [record for record in progress.results if record.get("number") != point["number"]]
        if point["replaced"]:
            results = sorted(results + [point["replaced"]], key=lambda record: record["number"])
        follow_up = {**point["follow_up"], "shown": False} if point["follow_up"] else None
        taken_back = "utter_follow_up_reply_taken_back" if follow_up else "utter_answer_taken_back"
        dispatcher.utter_message(response=taken_back, number=point["number"])
        return {"answer": None, "interview_results": results, "question_index": point["index"],
                "question_shown": None, "follow_up": follow_up, "last_answer_text": None, "last_reply": None,
                "undo_point": None}

    async def _run_command(self, command: str, progress: InterviewProgress, dispatcher: CollectingDispatcher,
                           tracker: Tracker) -> Dict[Text, Any]:
        if command == "retry" or (command == "skip" and tracker.get_slot("retry")):
            return {"answer": None, **self.retry_command(command, progress, dispatcher, tracker)}
        question = get_coach().bank.questions[progress.question_id]
        if command == "repeat":
            return _show_again(progress)
        if command == "undo":
            return self._undo(tracker.get_slot("undo_point"), progress, dispatcher)
        if command == "hint":
            dispatcher.utter_message(response="utter_hint", hint=question.hint)
            return {"answer": None}
        if command == "help":
            dispatcher.utter_message(response="utter_help_in_interview")
            return {"answer": None}
        if command == "skip":
            if progress.follow_up:  # skipping a follow-up keeps the first answer and its score
                return self._decline_follow_up(progress, dispatcher)
            dispatcher.utter_message(response=answer_handling(tracker).skipped_response, number=progress.number)
            record = {"question_id": question.id, "number": progress.number, "status": "skipped"}
            return self._advance(progress, progress.results + [record], None)
        if command == "stop":
            dispatcher.utter_message(response="utter_stopping")
            return {"answer": None, "requested_slot": None, "interview_stopped": True}
        if command == "restart" and not answer_handling(tracker).restart:
            dispatcher.utter_message(response=answer_handling(tracker).no_restart_response)
            return {"answer": None}
        if command == "restart":
            dispatcher.utter_message(response="utter_starting_over")
            return {slot: None for slot in INTERVIEW_SLOTS}
        raise ValueError(f"unknown command {command!r}")


def _show_again(progress: InterviewProgress) -> Dict[Text, Any]:
    """Slots that make the form ask the open question (or its follow-up) again, in full."""
    if progress.follow_up:
        return {"answer": None, "follow_up": {**progress.follow_up, "shown": False}}
    return {"answer": None, "question_shown": None}


class ActionAskQuestionCount(Action):
    """Asks how many questions, offering the most the chosen level has."""

    def name(self) -> Text:
        return "action_ask_question_count"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        available = max_questions(get_coach().bank, tracker.get_slot("level"))
        dispatcher.utter_message(response="utter_question_count_choices", max_questions=available)
        return []


class ActionAskAnswer(Action):
    """Asks the current question ("Question k of N"), or only nudges when the question is already on screen."""

    def name(self) -> Text:
        return "action_ask_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        progress = InterviewProgress(tracker)
        if not progress.plan or progress.index >= progress.total:
            return []
        if tracker.get_slot("pending_command"):
            return []  # the bot just asked the candidate to confirm a command; don't talk over it
        retried = ask_retry(tracker, dispatcher)
        if retried is not None:
            return retried
        where = {"number": progress.number, "total": progress.total}
        if progress.follow_up:
            if progress.follow_up.get("shown"):
                dispatcher.utter_message(response="utter_follow_up_reprompt", **where)
                return []
            dispatcher.utter_message(response="utter_follow_up", follow_up=progress.follow_up["question"], **where)
            return [SlotSet("follow_up", {**progress.follow_up, "shown": True})]
        if tracker.get_slot("question_shown") == progress.index:
            dispatcher.utter_message(response="utter_question_reprompt", **where)
            return []
        bank = get_coach().bank
        question = bank.questions[progress.question_id]
        competency = bank.competencies[question.competency].name
        progress_card = (web_payload.question_progress(progress.number, progress.total, question.text, competency)
                         if web_payload.wanted(tracker.get_latest_input_channel()) else None)
        dispatcher.utter_message(response="utter_question", question_text=question.text, competency=competency,
                                 json_message=progress_card, **where)
        return [SlotSet("question_shown", progress.index)]
