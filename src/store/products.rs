use super::engine::conn::{Conn, Row};
use super::rows::{self, from_json_list, to_json_list};
use super::write::{Retag, StoredRecord, Written};
use super::{Page, Result, Store, StoreError};
use crate::domain::{Kind, Meta, Money, Product, ValidationErrors};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{named_params, OptionalExtension};

pub(crate) const COLUMNS: &str =
    "id, uuid, created_at, updated_at, version, deleted_at, name, sku, category, price, \
    currency, brand, functions, audience, active, description";

pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<Product> {
    Ok(Product {
        meta: rows::meta(row)?,
        name: row.get("name")?,
        sku: row.get("sku")?,
        category: row.get("category")?,
        price: Money(row.get("price")?),
        currency: row.get("currency")?,
        brand: row.get("brand")?,
        functions: from_json_list(&row.get::<_, String>("functions")?),
        audience: from_json_list(&row.get::<_, String>("audience")?),
        active: row.get("active")?,
        description: row.get("description")?,
    })
}

fn tidy(p: &mut Product) {
    for s in [
        &mut p.name,
        &mut p.sku,
        &mut p.category,
        &mut p.brand,
        &mut p.currency,
    ] {
        *s = s.trim().to_string();
    }
    for list in [&mut p.functions, &mut p.audience] {
        list.iter_mut().for_each(|x| *x = x.trim().to_string());
        list.retain(|x| !x.is_empty());
    }
}

/// Two live products may not share a SKU.
fn check_sku(conn: &Conn, p: &Product) -> Result<()> {
    if p.sku.is_empty() {
        return Ok(());
    }
    let other: Option<i64> = conn
        .query_row(
            "SELECT id FROM products WHERE sku = ?1 AND id != ?2 AND deleted_at IS NULL",
            rusqlite::params![p.sku, p.meta.id],
            |r| r.get(0),
        )
        .optional()?;
    match other {
        Some(id) => Err(StoreError::invalid(
            "sku",
            format!("'{}' is already used by product {id}", p.sku),
        )),
        None => Ok(()),
    }
}

fn write_fields(
    conn: &Conn,
    sql: &str,
    p: &Product,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    rows::execute_named(
        conn,
        sql,
        named_params! {
            ":id": p.meta.id,
            ":now": now,
            ":name": p.name,
            ":sku": p.sku,
            ":category": p.category,
            ":price": p.price.0,
            ":currency": p.currency,
            ":brand": p.brand,
            ":functions": to_json_list(&p.functions),
            ":audience": to_json_list(&p.audience),
            ":active": p.active,
            ":description": p.description,
        },
    )?;
    Ok(())
}

const INSERT: &str =
    "INSERT INTO products (id, created_at, updated_at, version, name, sku, category, price, \
    currency, brand, functions, audience, active, description) VALUES (NULLIF(:id, 0), :now, :now, 1, :name, :sku, \
    :category, :price, :currency, :brand, :functions, :audience, :active, :description)";

const UPDATE: &str =
    "UPDATE products SET name = :name, sku = :sku, category = :category, price = :price, \
    currency = :currency, brand = :brand, functions = :functions, audience = :audience, \
    active = :active, description = :description, updated_at = :now WHERE id = :id";

super::write::plain_stored_record!(Product, "products", check: check_sku);

impl Store {
    pub fn add_product(&mut self, product: &Product) -> Result<Written<Product>> {
        self.save_new(product)
    }

    pub fn update_product(&mut self, product: &Product) -> Result<Written<Product>> {
        self.save_existing(product)
    }

    pub fn product(&self, id: i64) -> Result<Product> {
        read(&self.conn, id)
    }

    pub fn products(&self, page: Page) -> Result<Vec<Product>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM products WHERE id > ?1 AND {} ORDER BY id LIMIT ?2",
            page.visibility.sql()
        ))?;
        let rows = stmt.query_map(rusqlite::params![page.after, page.limit as i64], from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
