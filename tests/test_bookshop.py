"""The Bookshop's generator: the same rows everywhere, shaped like a real shop, loadable into MySQL."""

from __future__ import annotations

from collections import Counter
from dataclasses import astuple

import pytest

from bookshop import catalogue, data, mysql
from courselab import Lab


def fingerprint(shop: data.Bookshop) -> list[tuple]:
    return [astuple(row) for rows in vars(shop).values() for row in rows]


def test_same_seed_same_rows_other_seed_other_rows():
    assert fingerprint(data.generate(100, seed=1)) == fingerprint(data.generate(100, seed=1))
    assert fingerprint(data.generate(100, seed=1)) != fingerprint(data.generate(100, seed=2))


def test_size_scales_every_table():
    small, large = data.generate(100), data.generate(1000)
    for table, count in small.counts().items():
        if table != "categories":
            assert large.counts()[table] > 5 * count, table


def test_popularity_is_skewed():
    shop = data.generate(1000)
    copies = Counter()
    for line in shop.order_lines:
        copies[line.book_id] += line.quantity
    top_tenth = sum(n for _, n in copies.most_common(100))
    assert top_tenth > 0.5 * sum(copies.values())  # a tenth of the books sell most copies


def test_some_fields_are_missing_and_some_records_dirty():
    shop = data.generate(1000)
    assert any(b.isbn is None for b in shop.books) and any(b.pages is None for b in shop.books)
    assert any(c.email != c.email.strip().lower() for c in shop.customers)
    normalised = Counter(c.email.strip().lower() for c in shop.customers)
    assert normalised.most_common(1)[0][1] == 2  # one customer registered twice


def test_isbns_are_valid_and_unique():
    isbns = [b.isbn for b in data.generate(5000).books if b.isbn]
    assert len(isbns) == len(set(isbns))
    for isbn in isbns:
        assert sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(isbn)) % 10 == 0


def test_too_small_a_shop_is_refused():
    with pytest.raises(ValueError, match="at least 4"):
        data.generate(2)


def test_the_schema_accepts_every_generated_row():
    shop = data.generate(300, seed=7)
    lab = Lab("test-bookshop-load")
    db = lab.mysql()
    mysql.create_schema(db)
    counts = mysql.load(db, shop)
    with db.cursor() as cur:
        for table, expected in counts.items():
            cur.execute(f"SELECT COUNT(*) AS n FROM {table}")
            assert cur.fetchone()["n"] == expected == len(getattr(shop, table))
    lab.close()


def test_catalogue_documents_omit_missing_fields():
    shop = data.generate(200)
    docs = catalogue.book_documents(shop)
    assert len(docs) == len(shop.books)
    assert all("isbn" not in d for d, b in zip(docs, shop.books, strict=True) if b.isbn is None)
    assert sum(len(d["reviews"]) for d in docs) == len(shop.reviews)
