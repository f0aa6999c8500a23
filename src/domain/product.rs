use super::validate::{check_currency, check_required, check_text, MAX_LONG, MAX_SHORT};
use super::{Meta, Money, ValidationErrors};
use serde::{Deserialize, Serialize};

/// A product in the catalogue (产品).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Product {
    #[serde(flatten)]
    pub meta: Meta,
    pub name: String,
    pub sku: String,
    /// Category (type).
    pub category: String,
    pub price: Money,
    pub currency: String,
    pub brand: String,
    /// Functions / feature tags.
    pub functions: Vec<String>,
    /// Target audience: children, adults, seniors, businesses, …
    pub audience: Vec<String>,
    pub active: bool,
    pub description: String,
}

impl Default for Product {
    fn default() -> Self {
        Product {
            meta: Meta::default(),
            name: String::new(),
            sku: String::new(),
            category: String::new(),
            price: Money(0),
            // Empty: the book's currency when saved (`currency` setting).
            currency: String::new(),
            brand: String::new(),
            functions: Vec::new(),
            audience: Vec::new(),
            active: true,
            description: String::new(),
        }
    }
}

impl Product {
    pub fn named(name: &str) -> Self {
        Product {
            name: name.to_string(),
            ..Default::default()
        }
    }

    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::new();
        check_required(&mut e, "name", &self.name);
        for (field, value) in [
            ("name", &self.name),
            ("sku", &self.sku),
            ("category", &self.category),
            ("brand", &self.brand),
        ] {
            check_text(&mut e, field, value, MAX_SHORT);
        }
        check_text(&mut e, "description", &self.description, MAX_LONG);
        if self.sku.chars().any(char::is_whitespace) {
            e.add("sku", "cannot contain spaces");
        }
        if let Some(m) = self.price.range_error() {
            e.add("price", m);
        }
        for t in &self.functions {
            check_text(&mut e, "functions", t, MAX_SHORT);
        }
        for t in &self.audience {
            check_text(&mut e, "audience", t, MAX_SHORT);
        }
        check_currency(&mut e, &self.currency);
        e.into_result()
    }
}
