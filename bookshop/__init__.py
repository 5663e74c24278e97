"""The Bookshop: the one small business every chapter of the course works on.

`bookshop.data.generate(size, seed)` makes the same rows on every machine;
`bookshop.mysql` puts them into the relational core; `bookshop.catalogue` shapes
them as the MongoDB catalogue's documents.
"""
