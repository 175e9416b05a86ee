"""``python -m dehusk``: the same as the ``dehusk`` command."""

from dehusk.cli import main

main()
