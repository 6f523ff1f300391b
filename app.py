"""Math-To-Manim in the browser: `python app.py [--host H] [--port P] [--share]`.

Defaults come from Gradio's own GRADIO_SERVER_NAME / GRADIO_SERVER_PORT, else 127.0.0.1:7860; sharing is
off unless --share is given. The page itself is built in `text_to_manim.ui_app` (a thin adapter over
`pipeline.run` events); tests import `build_app` and launch it on a free port.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Optional

from text_to_manim import config
from text_to_manim.web.app import build_app

__all__ = ["build_app", "launch", "main"]


def launch(settings: Optional[config.Settings] = None, host: str = "127.0.0.1", port: int = 7860,
           share: bool = False, **kwargs):
    """Build and launch the app; extra kwargs go to `Blocks.launch` (e.g. prevent_thread_lock=True)."""
    demo = build_app(settings or config.load())
    demo.launch(server_name=host, server_port=port, share=share, **kwargs)
    return demo


def parse_args(argv: Optional[list] = None) -> argparse.Namespace:
    env_port = os.environ.get("GRADIO_SERVER_PORT", "")
    ap = argparse.ArgumentParser(prog="app.py", description=__doc__.splitlines()[0])
    ap.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME") or "127.0.0.1",
                    help="interface to listen on (default: $GRADIO_SERVER_NAME or 127.0.0.1)")
    ap.add_argument("--port", type=int, default=int(env_port) if env_port.isdigit() else 7860,
                    help="port (default: $GRADIO_SERVER_PORT or 7860)")
    ap.add_argument("--share", action="store_true", help="create a public gradio.live link (off by default)")
    return ap.parse_args(argv)


def main(argv: Optional[list] = None) -> int:
    args = parse_args(argv)
    launch(config.load(), host=args.host, port=args.port, share=args.share)
    return 0


if __name__ == "__main__":
    sys.exit(main())
