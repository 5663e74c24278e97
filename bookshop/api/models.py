"""What the API accepts and returns, as Pydantic models: validation and OpenAPI from one place."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

Isbn = Annotated[str, Field(pattern=r"^97[89][0-9]{10}$", examples=["9780131103627"])]
# Money travels as a string ("12.50") so that no client rounds it through a float; a JSON number is accepted too.
Price = Annotated[
    Decimal,
    Field(gt=0, le=Decimal("999999.99"), max_digits=8, decimal_places=2),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([1-9][0-9]{0,5}|0)\.[0-9]{2}$",
            "not": {"const": "0.00"},
            "examples": ["12.50"],
        }
    ),
]
Language = Annotated[str, Field(pattern=r"^[a-z]{2}$", examples=["en"])]


def _none_required(schema: dict[str, Any]) -> None:
    # A partial response (`?fields=…`) leaves properties out, so the schema requires none.
    schema.pop("required", None)


class BookIn(BaseModel):
    """A whole book, as POST and PUT take it."""

    model_config = ConfigDict(extra="forbid")

    isbn: Isbn | None
    title: str = Field(min_length=1, max_length=200)
    author_id: int = Field(ge=1, le=4_294_967_295)
    category: str = Field(min_length=1, max_length=60)
    price: Price
    published: date
    pages: int | None = Field(ge=1, le=65_535)
    language: Language
    stock: int = Field(ge=0, le=1_000_000)


class BookPatch(BaseModel):
    """A JSON Merge Patch (RFC 7396) of a book: only the members sent change."""

    model_config = ConfigDict(extra="forbid")

    isbn: Isbn | None = None
    title: str = Field(None, min_length=1, max_length=200)
    author_id: int = Field(None, ge=1, le=4_294_967_295)
    category: str = Field(None, min_length=1, max_length=60)
    price: Price = None
    published: date = None
    pages: int | None = Field(None, ge=1, le=65_535)
    language: Language = None
    stock: int = Field(None, ge=0, le=1_000_000)


class Book(BaseModel):
    model_config = ConfigDict(json_schema_extra=_none_required)

    id: int
    isbn: str | None
    title: str
    author_id: int
    author: str
    category: str
    price: str = Field(description="a decimal amount in euros, as a string so that no client rounds it")
    published: date
    pages: int | None
    language: str
    stock: int
    links: dict[str, str]


class BookPage(BaseModel):
    items: list[Book]
    next: str | None = Field(description="the URL of the next page, or null on the last page")


class Money(BaseModel):
    amount: str
    currency: str


class BookV2(BaseModel):
    """Version 2 of a book: the price says its currency."""

    id: int
    isbn: str | None
    title: str
    author_id: int
    author: str
    category: str
    price: Money
    published: date
    pages: int | None
    language: str
    stock: int
    links: dict[str, str]


class OrderLineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    book_id: int = Field(ge=1, le=4_294_967_295)
    quantity: int = Field(ge=1, le=10)


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[OrderLineIn] = Field(min_length=1, max_length=20)


class OrderLine(BaseModel):
    book_id: int
    quantity: int
    unit_price: str


class Order(BaseModel):
    id: int
    customer_id: int
    placed_at: datetime
    status: str
    lines: list[OrderLine]
    total: str
    links: dict[str, str]


class OrderPage(BaseModel):
    items: list[Order]
    next: str | None


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=2000, le=2100)


class Job(BaseModel):
    id: int
    status: str = Field(description="queued, running, done or failed")
    links: dict[str, str]


class CategorySales(BaseModel):
    category: str
    orders: int
    revenue: str


class Report(BaseModel):
    id: int
    year: int
    sales: list[CategorySales]
