"""The terminal chat of `make shell` (channels/terminal.py): how buttons are shown and what a typed line sends."""

from channels.terminal import message_for, render

LEVEL = {"text": "Which level are you preparing for?",
         "buttons": [{"title": "Junior (0-2 years)", "payload": "junior"},
                     {"title": "Mid (2-5 years)", "payload": "mid"},
                     {"title": "Senior (5+ years)", "payload": "senior"}]}
COUNT = {"text": "How many questions would you like?",
         "buttons": [{"title": "3", "payload": "3"}, {"title": "5", "payload": "5"}, {"title": "10", "payload": "10"}]}
FOLLOW_UP = {"text": "Follow-up on question 1 of 5: how did you measure it?",
             "buttons": [{"title": "Move on", "payload": "/skip_question"}]}


def test_options_are_numbered_unless_they_are_numbers():
    assert render([LEVEL]).splitlines() == [
        "Coach: Which level are you preparing for?", "   1. Junior (0-2 years)", "   2. Mid (2-5 years)",
        "   3. Senior (5+ years)", "   (type a number, or write it your way)"]
    assert "Options: 3, 5, 10 (or write it your way)" in render([COUNT])


def test_a_number_picks_a_numbered_option_and_words_pass_through():
    assert message_for("1", [LEVEL]) == "junior"
    assert message_for(" 3 ", [LEVEL]) == "senior"
    assert message_for("junior", [LEVEL]) == "junior"
    assert message_for("I have 3 years in support", [LEVEL]) == "I have 3 years in support"
    assert message_for("4", [LEVEL]) == "4"  # no fourth option: sent as typed


def test_a_number_at_the_count_question_means_itself():
    assert message_for("3", [COUNT]) == "3"
    assert message_for("1", [COUNT]) == "1"
    assert message_for("7", [COUNT]) == "7"


def test_a_free_text_reply_at_a_follow_up_is_the_answer():
    answer = "We measured it with CSAT after each chat."
    assert message_for(answer, [FOLLOW_UP]) == answer
    assert message_for("move on", [FOLLOW_UP]) == "/skip_question"
    assert message_for("1", [FOLLOW_UP]) == "/skip_question"


def test_only_the_last_message_s_options_answer_to_numbers():
    question = {"text": "Question 1 of 5: How do you measure CX?"}
    assert message_for("1", [FOLLOW_UP, question]) == "1"
    assert message_for("1", []) == "1"
    assert "1. Move on" not in render([FOLLOW_UP, question])


def test_a_message_the_bot_could_not_take_is_said_and_the_chat_goes_on(monkeypatch, capsys):
    import http.server
    import json
    import threading

    from channels.terminal import chat

    answers = iter([(503, {"error": "I haven't taken that message. Please send it again in a minute."}),
                    (200, [{"recipient_id": "me", "text": "How many questions would you like?"}])])

    class Bot(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            status, body = next(answers)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(body).encode())

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Bot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    typed = iter(["junior", "junior", "/stop"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(typed))
    try:
        assert chat(f"http://127.0.0.1:{server.server_port}", "me") == 0
    finally:
        server.shutdown()
    out = capsys.readouterr().out
    assert "Coach: I haven't taken that message." in out and "How many questions would you like?" in out
