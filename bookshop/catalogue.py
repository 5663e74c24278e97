"""The Bookshop's catalogue as MongoDB documents: varied attributes, embedded reviews."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from bookshop.data import Bookshop


def book_documents(shop: Bookshop) -> list[dict[str, Any]]:
    """One document per book; fields a book does not have are absent, not null."""
    authors = {a.id: a for a in shop.authors}
    categories = {c.id: c.name for c in shop.categories}
    reviews = defaultdict(list)
    for review in shop.reviews:
        reviews[review.book_id].append(
            {"customer_id": review.customer_id, "rating": review.rating, "text": review.text}
        )
    documents = []
    for book in shop.books:
        doc: dict[str, Any] = {
            "_id": book.id,
            "title": book.title,
            "author": {"name": authors[book.author_id].name, "country": authors[book.author_id].country},
            "category": categories[book.category_id],
            "price": float(book.price),
            "published": book.published.isoformat(),
            "language": book.language,
            "reviews": reviews[book.id],
        }
        if book.isbn:
            doc["isbn"] = book.isbn
        if book.pages:
            doc["pages"] = book.pages
        documents.append(doc)
    return documents
