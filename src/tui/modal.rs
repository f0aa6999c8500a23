//! The one modal slot: whatever prompt has the keys. Two prompts can
//! never be open at once; a question asked over a form (discard your
//! changes?) or over the trash (delete for good?) holds what it returns
//! to.

use super::overlay::{Confirm, TouchEntry};
use super::record_form::RecordForm;
use super::tabs::ReasonPrompt;
use super::tag_filter::TagFilter;
use super::trash::TrashView;

// One modal is open at a time: its size does not add up.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Modal {
    /// The form for a record of any kind.
    Form(Box<RecordForm>),
    /// Logging a touch on a customer (`t`).
    Touch(TouchEntry),
    /// Why a deal was won or lost.
    Reason(ReasonPrompt),
    /// Filter the list by a tag (`f`).
    TagFilter(TagFilter),
    /// Deleted records of every kind (`T`).
    Trash(TrashView),
    /// A yes/no question, and the prompt it returns to on "no".
    Question {
        confirm: Confirm,
        under: Option<Box<Modal>>,
    },
}

impl Modal {
    /// A question over `under` (nothing, a form, the trash).
    pub fn question(confirm: Confirm, under: Option<Modal>) -> Modal {
        Modal::Question {
            confirm,
            under: under.map(Box::new),
        }
    }

    /// The prompt the person works in: the one under a question, else
    /// this one.
    pub fn base(&self) -> &Modal {
        match self {
            Modal::Question {
                under: Some(under), ..
            } => under,
            other => other,
        }
    }

    fn base_mut(&mut self) -> &mut Modal {
        match self {
            Modal::Question {
                under: Some(under), ..
            } => under,
            other => other,
        }
    }

    pub fn form(&self) -> Option<&RecordForm> {
        match self.base() {
            Modal::Form(f) => Some(f),
            _ => None,
        }
    }

    pub fn form_mut(&mut self) -> Option<&mut RecordForm> {
        match self.base_mut() {
            Modal::Form(f) => Some(f),
            _ => None,
        }
    }

    pub fn trash_mut(&mut self) -> Option<&mut TrashView> {
        match self.base_mut() {
            Modal::Trash(t) => Some(t),
            _ => None,
        }
    }
}
