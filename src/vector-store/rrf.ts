/**
 * Reciprocal-rank fusion exactly as Qdrant computes it for `{"fusion":"rrf"}`: each ranked list
 * adds `1 / (rank + k)` (rank from 0, default k = 2) to an item's score.
 */
export function reciprocalRankFusion(lists: string[][], k = 2): Map<string, number> {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (rank + k)));
  }
  return scores;
}

/**
 * Keeps the `limit` best items, best first, with a min-heap of that size: O(n log k), and no
 * copy of the input, which matters when a common term touches tens of thousands of points.
 */
export function topK<T>(items: Iterable<T>, limit: number, score: (item: T) => number): T[] {
  if (limit <= 0) return [];
  const heap: Array<{ item: T; value: number; seq: number }> = [];
  let seq = 0;
  const swap = (a: number, b: number) => {
    const held = heap[a] as (typeof heap)[number];
    heap[a] = heap[b] as (typeof heap)[number];
    heap[b] = held;
  };
  for (const item of items) {
    const value = score(item);
    seq += 1;
    if (heap.length === limit) {
      if (value <= (heap[0] as { value: number }).value) continue;
      heap[0] = { item, value, seq };
      siftDown(0);
    } else {
      heap.push({ item, value, seq });
      let at = heap.length - 1;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if ((heap[parent] as { value: number }).value <= (heap[at] as { value: number }).value) break;
        swap(at, parent);
        at = parent;
      }
    }
  }
  function siftDown(start: number): void {
    let at = start;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let smallest = at;
      if (left < heap.length && (heap[left] as { value: number }).value < (heap[smallest] as { value: number }).value) smallest = left;
      if (right < heap.length && (heap[right] as { value: number }).value < (heap[smallest] as { value: number }).value) smallest = right;
      if (smallest === at) return;
      swap(at, smallest);
      at = smallest;
    }
  }
  // Equal scores keep their input order, as a stable sort would.
  return heap.sort((a, b) => b.value - a.value || a.seq - b.seq).map((entry) => entry.item);
}
