"""Fills a Coldsweat database for the sync benchmark: FEEDS feeds of ITEMS
items in all (about 1.5 KB of HTML each), a third of them read and 1% saved,
written straight through Coldsweat's own models (fetching 50,000 items from
feeds would time Coldsweat's feed parser, not the sync).

Usage: python populate.py EMAIL ITEMS FEEDS   (FLASK_DATABASE_URL names the database)
"""
import sys
from datetime import datetime, timedelta

from coldsweat import create_app
from coldsweat.models import Entry, Feed, Group, Read, Saved, Subscription, User, db_wrapper

WORDS = ("the minister said on tuesday that talks with the delegation would resume after the "
         "summit while markets in the region fell for a third day as investors weighed new "
         "sanctions and the price of energy").split()


def paragraph(seed, n):
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n))


def main():
    email, items, feeds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    app = create_app()
    with app.app_context():
        user = User.get(User.email == email)
        group, _ = Group.get_or_create(title="Bench")
        start = datetime(2024, 1, 1)
        per_feed = items // feeds
        with db_wrapper.database.atomic():
            for f in range(feeds):
                feed = Feed.create(self_link=f"http://bench.invalid/feed{f}.xml", title=f"Bench feed {f}",
                                   alternate_link="http://bench.invalid/", icon=Feed.DEFAULT_ICON,
                                   last_updated_on=start, last_checked_on=start)
                Subscription.create(user=user, group=group, feed=feed)
                rows = []
                for i in range(per_feed):
                    n = f * per_feed + i
                    body = "".join(f"<p>{paragraph(n + k, 40)}</p>" for k in range(6))
                    rows.append(dict(guid=f"bench-{f}-{i}", feed=feed, title=f"Bench item {n}: {paragraph(n, 8)}",
                                     content=body, published_on=start + timedelta(minutes=n), author="Bench Desk",
                                     link=f"http://bench.invalid/{f}/{i}"))
                for k in range(0, len(rows), 500):
                    Entry.insert_many(rows[k:k + 500]).execute()
            ids = [e.id for e in Entry.select(Entry.id)]
            now = datetime.utcnow()
            read = [dict(user=user, entry=i, read_on=now) for i in ids[::3]]
            for k in range(0, len(read), 500):
                Read.insert_many(read[k:k + 500]).execute()
            Saved.insert_many([dict(user=user, entry=i, saved_on=now) for i in ids[::100]]).execute()
        print(f"populated {len(ids)} items in {feeds} feeds")


if __name__ == "__main__":
    main()
