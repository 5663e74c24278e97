-- The Bookshop's relational core. Runs on MySQL 8.4 and MariaDB 10.11+.
-- Money is DECIMAL (exact), text is utf8mb4 (all of Unicode), every table is InnoDB.

CREATE TABLE authors (
  id       INT UNSIGNED PRIMARY KEY,
  name     VARCHAR(120) NOT NULL,
  country  CHAR(2)      NOT NULL
) ENGINE=InnoDB;

CREATE TABLE categories (
  id        INT UNSIGNED PRIMARY KEY,
  name      VARCHAR(60)  NOT NULL UNIQUE,
  parent_id INT UNSIGNED NULL,
  FOREIGN KEY (parent_id) REFERENCES categories (id)
) ENGINE=InnoDB;

CREATE TABLE books (
  id          INT UNSIGNED PRIMARY KEY,
  isbn        CHAR(13)      NULL UNIQUE,
  title       VARCHAR(200)  NOT NULL,
  author_id   INT UNSIGNED  NOT NULL,
  category_id INT UNSIGNED  NOT NULL,
  price       DECIMAL(8, 2) NOT NULL CHECK (price > 0),
  published   DATE          NOT NULL,
  pages       SMALLINT UNSIGNED NULL,
  language    CHAR(2)       NOT NULL,
  stock       INT UNSIGNED  NOT NULL DEFAULT 0,
  FOREIGN KEY (author_id)   REFERENCES authors (id),
  FOREIGN KEY (category_id) REFERENCES categories (id)
) ENGINE=InnoDB;

CREATE TABLE customers (
  id      INT UNSIGNED PRIMARY KEY,
  email   VARCHAR(190) NOT NULL,
  name    VARCHAR(120) NOT NULL,
  country CHAR(2)      NOT NULL,
  joined  DATETIME     NOT NULL
) ENGINE=InnoDB;

CREATE TABLE orders (
  id          INT UNSIGNED PRIMARY KEY,
  customer_id INT UNSIGNED NOT NULL,
  placed_at   DATETIME     NOT NULL,
  status      ENUM('shipped', 'delivered', 'cancelled') NOT NULL,
  FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE=InnoDB;

CREATE TABLE order_lines (
  order_id   INT UNSIGNED  NOT NULL,
  book_id    INT UNSIGNED  NOT NULL,
  quantity   SMALLINT UNSIGNED NOT NULL CHECK (quantity > 0),
  unit_price DECIMAL(8, 2) NOT NULL,
  PRIMARY KEY (order_id, book_id),
  FOREIGN KEY (order_id) REFERENCES orders (id),
  FOREIGN KEY (book_id)  REFERENCES books (id)
) ENGINE=InnoDB;
