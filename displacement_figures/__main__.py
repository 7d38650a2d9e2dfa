"""``python -m displacement_figures``: the same CLI as the ``displacement-figures`` script."""

import sys

from .cli import main

sys.exit(main())
