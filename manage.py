#!/usr/bin/env python
"""Django's command-line utility; `vitaal` is the same with friendlier names."""

from vitaal.cli import main

if __name__ == "__main__":
    main()
