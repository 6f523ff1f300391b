import sys

from text_to_manim.cli.commands import main

sys.exit(main())
