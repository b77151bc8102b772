"""Serve the web chat page (web/) on 127.0.0.1, and tell it where the Rasa server is through /config.json. Also the
instructor page (web/instructor/, at /instructor/) and its data under /instructor/api/, which only a cohort's
instructor token opens (bootcamp/instructor_http.py).

scripts/run.sh runs it with the Rasa environment's Python, whose SQLAlchemy reads the progress database; the chat page
alone needs nothing but the standard library. Only the files in web/ are served, never a folder listing. Every
response carries a Content-Security-Policy that lets the page run its own scripts and talk to the Rasa server and
nothing else: even text that slipped into the page as markup could not run or load anything.

Usage: python scripts/serve_web.py --port 8080 --rasa-url http://127.0.0.1:5005
"""

import argparse
import functools
import json
import logging
import sys
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WEB_DIR = PROJECT_ROOT / "web"
INSTRUCTOR_API = "/instructor/api/"


class InstructorData:
    """The instructor page's data, opened at the first request for it, so the chat page works without it."""

    def __init__(self):
        self._api = None
        self._lock = threading.Lock()

    def reply(self, path: str, authorization):
        with self._lock:
            if self._api is None:
                sys.path.insert(0, str(PROJECT_ROOT))
                from bootcamp.instructor_http import InstructorApi

                self._api = InstructorApi()
        return self._api.handle(path, authorization)


class ChatPageHandler(SimpleHTTPRequestHandler):
    # ES modules must be served as JavaScript; some systems' mime tables say otherwise.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".css": "text/css",
                      ".html": "text/html", ".json": "application/json", ".svg": "image/svg+xml"}

    def __init__(self, *args, rasa_url: str, instructor: InstructorData, **kwargs):
        self.rasa_url = rasa_url
        self.instructor = instructor
        super().__init__(*args, directory=str(WEB_DIR), **kwargs)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy",
                         f"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                         f"connect-src 'self' {self.rasa_url}; base-uri 'none'; form-action 'none'; "
                         f"frame-ancestors 'none'")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        # The page is tiny; never serving a stale copy after an update matters more than caching.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        if urlsplit(self.path).path.startswith(INSTRUCTOR_API):
            self._instructor_reply()
            return
        if urlsplit(self.path).path == "/config.json":
            body = json.dumps({"rasaUrl": self.rasa_url}).encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def _instructor_reply(self) -> None:
        try:
            reply = self.instructor.reply(urlsplit(self.path).path, self.headers.get("Authorization"))
        except Exception:  # noqa: BLE001 (the database is down or misconfigured: say so, keep serving the chat page)
            logging.exception("the instructor page's data could not be read")
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "The progress database cannot be read; see web.log")
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def log_message(self, format: str, *args) -> None:
        sys.stderr.write("web %s\n" % (format % args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--rasa-url", required=True, help="where the page sends messages, e.g. http://127.0.0.1:5005")
    args = parser.parse_args()
    rasa_url = args.rasa_url.rstrip("/")
    if urlsplit(rasa_url).scheme not in ("http", "https"):
        parser.error("--rasa-url must start with http:// or https://")
    handler = functools.partial(ChatPageHandler, rasa_url=rasa_url, instructor=InstructorData())
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    print(f"Serving the chat page on http://127.0.0.1:{args.port}/ (Rasa at {rasa_url})", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
