//! Tooltips a keyboard reaches: the trigger is focusable (`tabindex=0`)
//! and names the tip as its accessible description (`aria-describedby`);
//! the stylesheet shows the tip on hover and on focus (`.wm-tip`).

use std::cell::Cell;

thread_local! {
    static NEXT: Cell<u64> = const { Cell::new(0) };
}

/// A fresh element id for a tip: `wm-tip-17`. Ids come from a counter,
/// never from row data (a workflow id could hold spaces or quotes).
pub fn tip_id() -> String {
    NEXT.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        format!("wm-tip-{id}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tip_gets_its_own_id() {
        let a = tip_id();
        let b = tip_id();
        assert_ne!(a, b);
        assert!(a.starts_with("wm-tip-"));
    }
}
