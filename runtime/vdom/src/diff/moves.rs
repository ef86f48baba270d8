//! Reordering a child list with the fewest moves, and the index each move has in the browser.
//!
//! The children that keep their relative order (a longest increasing subsequence of their old
//! positions) stay where they are; every other kept child is moved once, right after the
//! child that precedes it in the new order. [`Placement`] tracks where each node is while the
//! patches are produced, so that each move names the indices the browser will see at that
//! moment, in O(log n) per step.

/// Which items lie on one longest strictly increasing subsequence of `values`.
pub(crate) fn longest_increasing(values: &[usize]) -> Vec<bool> {
    const NONE: usize = usize::MAX;
    // tails[k]: the index of the smallest value ending an increasing run of length k + 1, and
    // tail_values[k] that value (searched without going through the index).
    let mut tails: Vec<usize> = Vec::new();
    let mut tail_values: Vec<usize> = Vec::new();
    let mut previous = vec![NONE; values.len()];
    for (i, &value) in values.iter().enumerate() {
        // A list mostly kept in order extends the longest run at almost every step.
        let length = match tail_values.last() {
            Some(&last) if last < value => tail_values.len(),
            _ => tail_values.partition_point(|&t| t < value),
        };
        if length > 0 {
            previous[i] = tails[length - 1];
        }
        if length == tails.len() {
            tails.push(i);
            tail_values.push(value);
        } else {
            tails[length] = i;
            tail_values[length] = value;
        }
    }
    let mut on_it = vec![false; values.len()];
    let mut at = tails.last().copied().unwrap_or(NONE);
    while at != NONE {
        on_it[at] = true;
        at = previous[at];
    }
    on_it
}

/// Where the kept children of one list are while the new order is built, left to right.
///
/// Kept children are numbered by their old order (`rank`). A child that stays is an anchor;
/// every child placed after it (moved or inserted) is glued right behind it, and children
/// placed before the first anchor form a group at the start of the list.
pub(crate) struct Placement {
    /// The list's index of the first child in play (the common prefix comes before it).
    base: usize,
    /// 1 for each kept child still at its old place (anchors, and children not yet moved).
    in_place: Fenwick,
    /// How many children are glued behind each anchor.
    glued: Fenwick,
    glued_at_start: usize,
    last_anchor: Option<usize>,
}

impl Placement {
    /// `kept` children, the first at index `base`, all at their old places.
    pub(crate) fn new(base: usize, kept: usize) -> Self {
        Placement {
            base,
            in_place: Fenwick::ones(kept),
            glued: Fenwick::zeros(kept),
            glued_at_start: 0,
            last_anchor: None,
        }
    }

    /// The index where the next child of the new order goes.
    pub(crate) fn target(&self) -> usize {
        match self.last_anchor {
            Some(anchor) => self.index_in_place(anchor) + 1 + self.glued.at(anchor),
            None => self.base + self.glued_at_start,
        }
    }

    /// The child `rank` stays where it is and is next in the new order.
    pub(crate) fn stay(&mut self, rank: usize) {
        self.last_anchor = Some(rank);
    }

    /// A new child was inserted at [`target`](Self::target).
    pub(crate) fn place_new(&mut self) {
        self.glue();
    }

    /// Moves the child `rank` to the target: its index now and its index once moved, or
    /// `None` when it is already there.
    pub(crate) fn move_to_target(&mut self, rank: usize) -> Option<(usize, usize)> {
        let from = self.index_in_place(rank);
        let target = self.target();
        // Taking the child out first shifts the target left when it came from before it.
        let to = if from < target { target - 1 } else { target };
        self.in_place.subtract_one(rank);
        self.glue();
        (from != to).then_some((from, to))
    }

    fn glue(&mut self) {
        match self.last_anchor {
            Some(anchor) => self.glued.add_one(anchor),
            None => self.glued_at_start += 1,
        }
    }

    /// The current index of a child still at its old place.
    fn index_in_place(&self, rank: usize) -> usize {
        self.base + self.glued_at_start + self.in_place.before(rank) + self.glued.before(rank)
    }
}

/// A Fenwick tree of counts: point updates and prefix sums in O(log n).
struct Fenwick {
    /// 1-based: `sums[i]` holds the sum of the `i & -i` counts ending at `i`.
    sums: Vec<usize>,
}

impl Fenwick {
    fn zeros(len: usize) -> Self {
        Fenwick {
            sums: vec![0; len + 1],
        }
    }

    fn ones(len: usize) -> Self {
        // Each node covers `i & -i` counts of one.
        let sums = (0..=len).map(|i| i & i.wrapping_neg()).collect();
        Fenwick { sums }
    }

    fn add_one(&mut self, index: usize) {
        let mut i = index + 1;
        while i < self.sums.len() {
            self.sums[i] += 1;
            i += i & i.wrapping_neg();
        }
    }

    fn subtract_one(&mut self, index: usize) {
        let mut i = index + 1;
        while i < self.sums.len() {
            self.sums[i] -= 1;
            i += i & i.wrapping_neg();
        }
    }

    /// The sum of the counts before `index`.
    fn before(&self, index: usize) -> usize {
        let mut sum = 0;
        let mut i = index;
        while i > 0 {
            sum += self.sums[i];
            i -= i & i.wrapping_neg();
        }
        sum
    }

    /// The count at `index`.
    fn at(&self, index: usize) -> usize {
        self.before(index + 1) - self.before(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_longest_increasing_subsequence_is_marked() {
        let marked = |v: &[usize]| -> Vec<usize> {
            let on = longest_increasing(v);
            v.iter()
                .zip(on)
                .filter(|(_, on)| *on)
                .map(|(x, _)| *x)
                .collect()
        };
        assert_eq!(marked(&[]), Vec::<usize>::new());
        assert_eq!(marked(&[0, 1, 2]), vec![0, 1, 2]);
        assert_eq!(marked(&[2, 1, 0]).len(), 1);
        assert_eq!(marked(&[3, 0, 1, 4, 2, 5]), vec![0, 1, 2, 5]);
    }

    /// Applies the moves `Placement` computes to a plain list, as a browser would.
    fn reorder(order: &[usize]) -> (Vec<usize>, usize) {
        let mut list: Vec<usize> = (0..order.len()).collect();
        let stays = longest_increasing(order);
        let mut placement = Placement::new(0, order.len());
        let mut moves = 0;
        for (&rank, stays) in order.iter().zip(stays) {
            if stays {
                placement.stay(rank);
            } else if let Some((from, to)) = placement.move_to_target(rank) {
                assert_eq!(list[from], rank, "the move names the node's current index");
                let node = list.remove(from);
                list.insert(to, node);
                moves += 1;
            }
        }
        (list, moves)
    }

    proptest! {
        #[test]
        fn moves_reorder_any_permutation_with_the_fewest_moves(
            order in (0..40usize).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        ) {
            let (list, moves) = reorder(&order);
            prop_assert_eq!(&list, &order);
            let kept = longest_increasing(&order).iter().filter(|s| **s).count();
            prop_assert_eq!(moves, order.len() - kept);
        }
    }

    #[test]
    fn the_fenwick_tree_counts() {
        let mut f = Fenwick::ones(10);
        assert_eq!(f.before(10), 10);
        f.subtract_one(3);
        assert_eq!(f.before(4), 3);
        assert_eq!(f.at(3), 0);
        let mut g = Fenwick::zeros(5);
        g.add_one(4);
        g.add_one(4);
        assert_eq!(g.at(4), 2);
        assert_eq!(g.before(4), 0);
    }
}
