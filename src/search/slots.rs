//! Small lookup tables of the index: interned attribute strings, and the
//! record → slot map.

use super::flat::Flat;
use crate::domain::Kind;
use std::collections::HashMap;

/// Strings to small ids, for attribute keys and values.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    ids: HashMap<String, u32>,
    pub names: Vec<String>,
}

impl Interner {
    pub fn from_names(names: Vec<String>) -> Interner {
        let ids = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        Interner { ids, names }
    }

    pub fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }

    pub fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(s).copied()
    }
}

/// Record → slot: dense per-kind tables for the usual small row ids, a map
/// for any others.
#[derive(Debug, Default, Clone)]
pub(crate) struct Slots {
    pub(crate) dense: [Flat<u32>; 4],
    pub(crate) sparse: HashMap<(Kind, i64), u32>,
    pub live: usize,
}

const NO_SLOT: u32 = u32::MAX;
/// Ids below this go to the dense tables (4 bytes per id up to the largest).
const DENSE_IDS: i64 = 1 << 26;

impl Slots {
    pub(crate) fn table(kind: Kind) -> usize {
        match kind {
            Kind::Customer => 0,
            Kind::Opportunity => 1,
            Kind::Product => 2,
            Kind::Activity => 3,
        }
    }

    pub fn get(&self, kind: Kind, id: i64) -> Option<u32> {
        if (0..DENSE_IDS).contains(&id) {
            let t = &self.dense[Self::table(kind)];
            if id as usize >= t.len() {
                return None;
            }
            let s = t[id as usize];
            (s != NO_SLOT).then_some(s)
        } else {
            self.sparse.get(&(kind, id)).copied()
        }
    }

    pub fn insert(&mut self, kind: Kind, id: i64, slot: u32) {
        if (0..DENSE_IDS).contains(&id) {
            let t = &mut self.dense[Self::table(kind)];
            while t.len() <= id as usize {
                t.push(NO_SLOT);
            }
            if t[id as usize] == NO_SLOT {
                self.live += 1;
            }
            t[id as usize] = slot;
        } else if self.sparse.insert((kind, id), slot).is_none() {
            self.live += 1;
        }
    }

    pub fn remove(&mut self, kind: Kind, id: i64) -> Option<u32> {
        let old = if (0..DENSE_IDS).contains(&id) {
            let t = &mut self.dense[Self::table(kind)];
            if id as usize >= t.len() {
                return None;
            }
            let old = t[id as usize];
            if old != NO_SLOT {
                t[id as usize] = NO_SLOT;
            }
            (old != NO_SLOT).then_some(old)
        } else {
            self.sparse.remove(&(kind, id))
        };
        if old.is_some() {
            self.live -= 1;
        }
        old
    }

    pub fn bytes(&self) -> usize {
        self.dense
            .iter()
            .map(|t| t.heap_capacity() * 4)
            .sum::<usize>()
            + self.sparse.capacity() * (std::mem::size_of::<(Kind, i64)>() + 5)
    }
}
