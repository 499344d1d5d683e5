"""Runs the Coldsweat command line (setup, import, fetch, run) for the sync tests,
with its favicon lookup replaced: Coldsweat asks a public host for each feed's
icon when it fetches, and the tests never leave the machine.

Usage: python launcher.py COMMAND [ARGS...]   (FLASK_DATABASE_URL names the database)
"""
import sys

import coldsweat.fetcher
from coldsweat.models import Feed


def no_favicon(self, url):
    # The column is NOT NULL: the default icon, never None.
    return Feed.DEFAULT_ICON


coldsweat.fetcher.Fetcher._favicon_fetcher = no_favicon

from coldsweat import cli  # noqa: E402

if __name__ == "__main__":
    sys.argv[0] = "coldsweat"
    sys.exit(cli())
