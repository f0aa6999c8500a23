//! The Products tab: the catalogue's columns.

use super::records::{tag_rank, Column, Key, Listed, RecordList};
use crate::domain::Product;
use crate::store::ProductFile;
use ratatui::layout::Constraint;

impl Listed for Product {
    fn id(&self) -> i64 {
        self.meta.id
    }
}

pub type ProductTab = RecordList<Product, ProductFile>;

/// The table's columns, in order; `s` cycles through them.
pub fn columns() -> Vec<Column<Product>> {
    vec![
        Column {
            title: "Name",
            width: Constraint::Fill(3),
            text: |p, _| p.name.clone(),
            key: |p, _| Key::Text(p.name.to_lowercase()),
            chip: None,
        },
        Column {
            title: "SKU",
            width: Constraint::Length(10),
            text: |p, _| p.sku.clone(),
            key: |p, _| Key::Text(p.sku.to_lowercase()),
            chip: None,
        },
        Column {
            title: "Category",
            width: Constraint::Fill(2),
            text: |p, _| p.category.clone(),
            key: |p, _| Key::Text(p.category.to_lowercase()),
            chip: None,
        },
        Column {
            title: "Price",
            width: Constraint::Length(7),
            text: |p, c| c.tag(p.meta.id, "price").unwrap_or("").into(),
            key: |p, _| Key::Num(p.price.0),
            chip: Some("price"),
        },
        Column {
            title: "Sales",
            width: Constraint::Length(7),
            text: |p, c| c.tag(p.meta.id, "sales").unwrap_or("").into(),
            key: |p, c| tag_rank(c.tag(p.meta.id, "sales")),
            chip: Some("sales"),
        },
        Column {
            title: "Brand",
            width: Constraint::Fill(1),
            text: |p, _| p.brand.clone(),
            key: |p, _| Key::Text(p.brand.to_lowercase()),
            chip: None,
        },
        Column {
            title: "Audience",
            width: Constraint::Fill(2),
            text: |p, _| p.audience.join(", "),
            key: |p, _| Key::Text(p.audience.join(",").to_lowercase()),
            chip: None,
        },
    ]
}
