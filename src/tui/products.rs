//! The Products tab: the catalogue's columns.

use super::list::{Column, Listed, RecordList};
use crate::domain::Product;
use crate::store::{ListEntry, ListSort, ProductFile};
use ratatui::layout::Constraint;

impl Listed for Product {
    fn id(&self) -> i64 {
        self.meta.id
    }
}

pub type ProductTab = RecordList<ListEntry, Product, ProductFile>;

/// The table's columns, in order; `s` cycles through them.
pub fn columns() -> Vec<Column<Product>> {
    vec![
        Column {
            title: "col-product-name",
            width: Constraint::Fill(3),
            text: |p, _| p.name.clone(),
            sort: ListSort::Name,
            chip: None,
        },
        Column {
            title: "col-product-sku",
            width: Constraint::Length(10),
            text: |p, _| p.sku.clone(),
            sort: ListSort::Sku,
            chip: None,
        },
        Column {
            title: "col-product-category",
            width: Constraint::Fill(2),
            text: |p, _| p.category.clone(),
            sort: ListSort::Category,
            chip: None,
        },
        Column {
            title: "col-product-price",
            width: Constraint::Length(7),
            text: |p, c| c.tag(p.meta.id, "price").unwrap_or("").into(),
            sort: ListSort::Price,
            chip: Some("price"),
        },
        Column {
            title: "col-product-sales",
            width: Constraint::Length(7),
            text: |p, c| c.tag(p.meta.id, "sales").unwrap_or("").into(),
            sort: ListSort::Tag("sales"),
            chip: Some("sales"),
        },
        Column {
            title: "col-product-brand",
            width: Constraint::Fill(1),
            text: |p, _| p.brand.clone(),
            sort: ListSort::Brand,
            chip: None,
        },
        Column {
            title: "col-product-audience",
            width: Constraint::Fill(2),
            text: |p, _| p.audience.join(", "),
            sort: ListSort::Audience,
            chip: None,
        },
    ]
}
