//! Changes on screen that the store does not hold yet. A key changes the row
//! at once and hands the write to the writer thread; until the write is
//! answered, rows loaded meanwhile (a reload after another process wrote)
//! get the change laid over them, so a flag never blinks off and back on.
//! When the answer comes the overlay goes: the store has it, or the write
//! failed and the screen is reloaded from the store.

use super::msg::Effect;
use crate::model::{ItemId, ItemRow, View};

/// What one queued write changes on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Read {
        ids: Vec<ItemId>,
        read: bool,
    },
    Saved {
        id: ItemId,
        saved: bool,
    },
    Dismissed(ItemId),
    /// Every row of this view read.
    ViewRead(View),
    /// A write with nothing to show in the list (tags, undo, full text).
    Nothing,
}

impl Overlay {
    /// The overlay of a user write (`Effect::is_user_write`).
    pub fn of(effect: &Effect) -> Overlay {
        match effect {
            Effect::SetRead { ids, read } => Overlay::Read { ids: ids.clone(), read: *read },
            Effect::SetSaved { id, saved } => Overlay::Saved { id: id.clone(), saved: *saved },
            Effect::Dismiss(id) => Overlay::Dismissed(id.clone()),
            Effect::MarkViewRead(view) => Overlay::ViewRead(view.clone()),
            _ => Overlay::Nothing,
        }
    }

    /// Lays the change over rows freshly loaded for `view`.
    pub fn apply(&self, view: &View, rows: &mut Vec<ItemRow>) {
        match self {
            Overlay::Read { ids, read } => {
                for row in rows.iter_mut().filter(|r| ids.contains(&r.id)) {
                    row.read = *read;
                }
            }
            Overlay::Saved { id, saved } => {
                if *view == View::Saved && !saved {
                    rows.retain(|r| &r.id != id);
                }
                for row in rows.iter_mut().filter(|r| &r.id == id) {
                    row.saved = *saved;
                }
            }
            Overlay::Dismissed(id) if *view != View::Saved => rows.retain(|r| &r.id != id),
            Overlay::ViewRead(v) if v == view => {
                for row in rows.iter_mut() {
                    row.read = true;
                }
            }
            _ => {}
        }
    }
}
