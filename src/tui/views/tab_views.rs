//! The Opportunities, Products and Activities tabs: table (or board) and
//! detail.

use super::{board, record_detail, record_table};
use crate::tui::activities;
use crate::tui::app::App;
use crate::tui::opportunities;
use crate::tui::products;
use ratatui::layout::Rect;
use ratatui::Frame;

pub fn draw_deals(frame: &mut Frame, app: &App, area: Rect) {
    let deals = &app.tabs.deals;
    if deals.board {
        return board::draw(frame, app, area);
    }
    let (table, detail) = record_table::split(app, area);
    if let Some(a) = table {
        record_table::draw(
            frame,
            app,
            &crate::tui::labels::t("tab-opportunities"),
            &deals.list,
            &opportunities::columns(),
            a,
        );
    }
    if let Some(a) = detail {
        let file = deals
            .list
            .detail
            .as_ref()
            .filter(|f| Some(f.deal.meta.id) == deals.list.selected_id());
        record_detail::draw_deal(
            frame,
            app,
            file,
            !deals.list.is_empty(),
            deals.list.detail_scroll,
            a,
        );
    }
}

pub fn draw_products(frame: &mut Frame, app: &App, area: Rect) {
    let list = &app.tabs.products;
    let (table, detail) = record_table::split(app, area);
    if let Some(a) = table {
        let title = crate::tui::labels::t("tab-products");
        record_table::draw(frame, app, &title, list, &products::columns(), a);
    }
    if let Some(a) = detail {
        let file = list
            .detail
            .as_ref()
            .filter(|f| Some(f.product.meta.id) == list.selected_id());
        record_detail::draw_product(frame, app, file, !list.is_empty(), list.detail_scroll, a);
    }
}

pub fn draw_activities(frame: &mut Frame, app: &App, area: Rect) {
    let tab = &app.tabs.activities;
    let list = &tab.list;
    let (table, detail) = record_table::split(app, area);
    if let Some(a) = table {
        let title = crate::tr!("activities-title", kinds = tab.kinds.label());
        record_table::draw(frame, app, &title, list, &activities::columns(), a);
    }
    if let Some(a) = detail {
        let file = list
            .detail
            .as_ref()
            .filter(|f| Some(f.activity.meta.id) == list.selected_id());
        record_detail::draw_activity(frame, app, file, !list.is_empty(), list.detail_scroll, a);
    }
}
