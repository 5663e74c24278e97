"""A deterministic generator of Bookshop data, realistic in shape.

Same `seed` and `size`, same rows, on every machine and every run: only
`random.Random(seed)` is used, and dates count from a fixed day, never from now.
The shape is that of a real shop: a few books sell most copies (Zipf-like
popularity), some fields are missing, and a few records are dirty (an e-mail in
capitals with spaces, a customer registered twice).

`size` is the number of books: authors are a quarter of it, customers twice it,
orders five times it. A few hundred suits a lesson; 20_000 gives 100_000 orders.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import accumulate

EPOCH = datetime(2024, 1, 1, 9, 0, 0)
FIRST = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Radia",
    "Tim",
    "Margaret",
    "John",
    "Katherine",
    "Dennis",
    "Sophie",
    "Linus",
    "Hedy",
    "Niklaus",
    "Joan",
    "Guido",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Silva",
    "Novak",
    "Haddad",
    "Kowalski",
    "Fischer",
    "Rossi",
    "Nguyen",
    "Petrov",
    "Garcia",
    "Mbeki",
    "Larsen",
    "Dubois",
    "Sato",
    "Ibrahim",
    "Walsh",
    "Kim",
]
COUNTRIES = ["FR", "DE", "GB", "US", "ES", "IT", "NL", "SE", "PL", "JP"]
WORDS = [
    "Silent",
    "River",
    "Garden",
    "Engine",
    "Winter",
    "Stone",
    "Letters",
    "Harbor",
    "Atlas",
    "Shadow",
    "Glass",
    "Orchard",
    "Signal",
    "Empire",
    "Lantern",
    "Compass",
    "Mirror",
    "Tide",
    "Archive",
    "Ember",
]
# A category tree, two levels deep: (name, parent name).
CATEGORIES = [
    ("Fiction", None),
    ("Non-fiction", None),
    ("Children", None),
    ("Crime", "Fiction"),
    ("Science fiction", "Fiction"),
    ("Romance", "Fiction"),
    ("History", "Non-fiction"),
    ("Science", "Non-fiction"),
    ("Computing", "Non-fiction"),
    ("Picture books", "Children"),
    ("Young adult", "Children"),
]
LANGUAGES = ["en"] * 7 + ["fr", "de", "es"]
STATUSES = ["delivered"] * 8 + ["shipped", "cancelled"]


@dataclass(frozen=True)
class Author:
    id: int
    name: str
    country: str


@dataclass(frozen=True)
class Category:
    id: int
    name: str
    parent_id: int | None


@dataclass(frozen=True)
class Book:
    id: int
    isbn: str | None  # missing for a few old titles
    title: str
    author_id: int
    category_id: int
    price: Decimal
    published: date
    pages: int | None  # not every supplier sends it
    language: str
    stock: int


@dataclass(frozen=True)
class Customer:
    id: int
    email: str  # a few are dirty: capitals, surrounding spaces, a duplicate
    name: str
    country: str
    joined: datetime


@dataclass(frozen=True)
class OrderLine:
    order_id: int
    book_id: int
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class Order:
    id: int
    customer_id: int
    placed_at: datetime
    status: str


@dataclass(frozen=True)
class Review:
    book_id: int
    customer_id: int
    rating: int
    text: str


@dataclass
class Bookshop:
    authors: list[Author] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    books: list[Book] = field(default_factory=list)
    customers: list[Customer] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    order_lines: list[OrderLine] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in vars(self).items()}


def isbn13(rng: random.Random, taken: set[str]) -> str:
    """A valid, unused ISBN-13 (the last digit is the checksum)."""
    while True:
        digits = [9, 7, 8] + [rng.randrange(10) for _ in range(9)]
        check = (10 - sum(d * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10) % 10
        isbn = "".join(map(str, [*digits, check]))
        if isbn not in taken:
            taken.add(isbn)
            return isbn


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _price(rng: random.Random) -> Decimal:
    return Decimal(rng.choice([799, 999, 1250, 1499, 1799, 2000, 2499, 3499, 4999])) / 100


def generate(size: int = 200, seed: int = 42) -> Bookshop:
    """The Bookshop with `size` books and everything that goes with them."""
    if size < 4:
        raise ValueError("size is the number of books: at least 4")
    rng = random.Random(seed)
    shop = Bookshop()
    ids = {name: i for i, (name, _) in enumerate(CATEGORIES, start=1)}
    shop.categories = [Category(ids[n], n, ids.get(p) if p else None) for n, p in CATEGORIES]
    leaves = [c.id for c in shop.categories if c.parent_id is not None]

    isbns: set[str] = set()
    shop.authors = [Author(i, _person(rng), rng.choice(COUNTRIES)) for i in range(1, size // 4 + 1)]
    for i in range(1, size + 1):
        shop.books.append(
            Book(
                id=i,
                isbn=isbn13(rng, isbns) if rng.random() > 0.03 else None,
                title=f"The {rng.choice(WORDS)} {rng.choice(WORDS)}" + ("" if rng.random() < 0.7 else f" {i}"),
                author_id=rng.randrange(1, len(shop.authors) + 1),
                category_id=rng.choice(leaves),
                price=_price(rng),
                published=date(1990, 1, 1) + timedelta(days=rng.randrange(365 * 34)),
                pages=rng.randrange(80, 900) if rng.random() > 0.1 else None,
                language=rng.choice(LANGUAGES),
                stock=rng.randrange(0, 60),
            )
        )

    for i in range(1, size * 2 + 1):
        name = _person(rng)
        email = f"{name.lower().replace(' ', '.')}{i}@example.com"
        if rng.random() < 0.02:
            email = f"  {email.upper()} "
        shop.customers.append(
            Customer(i, email, name, rng.choice(COUNTRIES), EPOCH + timedelta(minutes=rng.randrange(60 * 24 * 365)))
        )
    first = shop.customers[0]
    shop.customers.append(
        Customer(
            len(shop.customers) + 1, first.email.upper(), first.name, first.country, first.joined + timedelta(days=30)
        )
    )  # registered twice

    # Zipf-like popularity: the book at rank r sells in proportion to 1 / r**1.1.
    ranked = list(range(1, size + 1))
    rng.shuffle(ranked)
    cumulative = list(accumulate(1 / (rank**1.1) for rank in range(1, size + 1)))
    prices = {b.id: b.price for b in shop.books}
    for order_id in range(1, size * 5 + 1):
        customer = rng.randrange(1, len(shop.customers) + 1)
        shop.orders.append(
            Order(order_id, customer, EPOCH + timedelta(minutes=rng.randrange(60 * 24 * 700)), rng.choice(STATUSES))
        )
        books = sorted(set(rng.choices(ranked, cum_weights=cumulative, k=rng.choice([1, 1, 2, 3, 4]))))
        for book_id in books:
            shop.order_lines.append(OrderLine(order_id, book_id, rng.choice([1, 1, 1, 2, 3]), prices[book_id]))

    for book in shop.books:
        for _ in range(rng.choice([0, 0, 1, 2, 5])):
            rating = rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 3, 6, 5])[0]
            shop.reviews.append(
                Review(
                    book.id,
                    rng.randrange(1, len(shop.customers) + 1),
                    rating,
                    f"{rng.choice(WORDS)} and {rng.choice(WORDS).lower()}: {rating}/5.",
                )
            )
    return shop
