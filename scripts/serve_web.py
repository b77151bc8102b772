"""Serve the web chat page (web/) on 127.0.0.1, and tell it where the Rasa server is through /config.json.

Standard library only, so it runs with any Python 3 (scripts/run.sh uses the Rasa environment's). Only the files in
web/ are served, never a folder listing. Every response carries a Content-Security-Policy that lets the page run its
own scripts and talk to the Rasa server and nothing else: even text that slipped into the page as markup could not
run or load anything.

Usage: python scripts/serve_web.py --port 8080 --rasa-url http://127.0.0.1:5005
"""

import argparse
import functools
import json
import sys
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

WEB_DIR = Path(__file__).resolve().parent.parent / "web"


class ChatPageHandler(SimpleHTTPRequestHandler):
    # ES modules must be served as JavaScript; some systems' mime tables say otherwise.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".css": "text/css",
                      ".html": "text/html", ".json": "application/json", ".svg": "image/svg+xml"}

    def __init__(self, *args, rasa_url: str, **kwargs):
        self.rasa_url = rasa_url
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
        if urlsplit(self.path).path == "/config.json":
            body = json.dumps({"rasaUrl": self.rasa_url}).encode()
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

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
    handler = functools.partial(ChatPageHandler, rasa_url=rasa_url)
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
