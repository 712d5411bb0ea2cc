// Small-number suppression for the coverage reports. The reports are cut from one national table of counts whose
// cells are tied by additive relations (a region is the sum of its areas, England of its regions, "all professions"
// of the professions). The table is suppressed once, as a whole, so every filtered view shows part of one
// consistently suppressed table and no two views can be differenced against each other.
//
// What a reader knows of a withheld cell: `<5` is 1 to 4; `[c]` is at least 1 (zeros are always shown: a zero reveals
// nobody) and may be below 5, because a `<5` becomes `[c]` where `<5` would give it away (four professions of `<5`
// under an area total of `<5` are all 1). A withheld cell is safe when another table, in whole people, agrees with
// everything shown; otherwise it is recoverable.
//
// The relations are solved as a network: once the relations that follow from the others are set aside, a two-way
// table (with a hierarchy along one of its ways) has every cell in at most two relations, each cell is an arc between
// them, and another consistent table is the shown one plus a circulation: a cycle of +1 and -1 steps on withheld cells.
// A cell is safe exactly when such a cycle passes through it, and the cheapest cycle through an exposed cell says
// which cells to withhold beside it.

export type Suppression = 'primary' | 'secondary' | null;

/** cells[total] = sum of cells[members] */
export interface AdditiveRelation {
  total: number;
  members: readonly number[];
}

/**
 * Which cells to withhold. Counts from 1 to threshold - 1 are primary (`<5`). For each primary cell that could be
 * worked out, the cheapest cycle through it is withheld as secondary (`[c]`): cost is the counts withheld, and turning
 * a `<5` into `[c]` costs more than any number of them, so it happens only where nothing else protects a cell.
 */
export function suppress(
  values: readonly number[],
  relations: readonly AdditiveRelation[],
  threshold: number,
): Suppression[] {
  const network = new Network(values, relations, threshold);
  const shown: Suppression[] = values.map((value) => (value >= 1 && value < threshold ? 'primary' : null));
  const safe = new Uint8Array(values.length);
  shown.forEach((mark, cell) => {
    if (mark !== 'primary' || safe[cell] === 1) return;
    const cycle = network.cheapestCycle(cell, shown, 'withholding more');
    if (cycle === null)
      throw new Error(`Cell ${cell} would follow from the relations whatever else is withheld`);
    for (const { cell: moved, direction } of cycle) {
      if (network.cost(moved, direction, shown, 'as shown') > 0) shown[moved] = 'secondary';
      safe[moved] = 1;
    }
  });
  return shown;
}

/**
 * The withheld cells whose value follows from what is shown: no other table in whole people agrees with the shown
 * counts, the relations, 1 <= x <= threshold - 1 for each `<5` and x >= 1 for each `[c]`.
 */
export function recoverableCells(
  values: readonly number[],
  relations: readonly AdditiveRelation[],
  suppression: readonly Suppression[],
  threshold: number,
): number[] {
  const network = new Network(values, relations, threshold);
  if (suppression.length !== values.length) {
    throw new RangeError(`${suppression.length} suppressions for ${values.length} cells`);
  }
  suppression.forEach((mark, cell) => shownCount(values[cell], mark, threshold));
  const safe = new Uint8Array(values.length);
  return values.flatMap((_, cell) => {
    if (suppression[cell] === null || safe[cell] === 1) return [];
    const cycle = network.cheapestCycle(cell, suppression, 'as shown');
    cycle?.forEach(({ cell: moved }) => (safe[moved] = 1));
    return cycle === null ? [cell] : [];
  });
}

/** The count as a report shows it; refuses a count from 1 to threshold - 1 that is not withheld, or a withheld 0. */
export function shownCount(value: number, suppression: Suppression, threshold: number): string {
  const small = value >= 1 && value < threshold;
  switch (suppression) {
    case 'primary':
      if (!small) throw new RangeError(`${value} is not a count below ${threshold}, yet marked primary`);
      return `<${threshold}`;
    case 'secondary':
      if (value < 1) throw new RangeError(`A zero is shown, never withheld`);
      return '[c]';
    case null:
      if (small) throw new RangeError(`${value} is below ${threshold} and must be withheld`);
      return String(value);
  }
}

const UP = 1;
const DOWN = -1;
// Not the global Infinity: Jest runs the code in a vm context where each global lookup is slow (the national table
// took seven times as long).
const IMPOSSIBLE = Number.POSITIVE_INFINITY;
type Direction = typeof UP | typeof DOWN;
interface Step {
  cell: number;
  direction: Direction;
}
type Pricing = 'as shown' | 'withholding more';
// The kept relations' graph, part by part: its nodes in breadth-first order, each but the first of its part reached
// from an earlier one by an arc; and room for a weight per node and a relation's sign per cell.
interface Forest {
  order: Int32Array;
  part: Int32Array;
  partStart: number[];
  reachedBy: Int32Array;
  weight: Float64Array;
  sign: Int8Array;
}

/**
 * The relations as a directed graph: a node per relation kept (and a ground node per connected part, for cells in
 * only one kept relation), an arc per cell from `tail` to `head`. Each kept relation is multiplied by +1 or -1 so
 * that every cell enters one node and leaves the other; then a set of +1 / -1 steps keeps every relation balanced
 * exactly when it is a circulation.
 */
class Network {
  // Relation r's cells are cellAt[first[r] .. first[r + 1]), signed +1 for its total and -1 for its members.
  private readonly first: Int32Array;
  private readonly cellAt: Int32Array;
  private readonly signAt: Int8Array;
  private readonly tail: Int32Array;
  private readonly head: Int32Array;
  private readonly arcsFrom: number[][];
  private readonly escalation: number;
  // Dijkstra's working arrays, reused: a node's entries count only when its mark is the current search's.
  private readonly mark: Int32Array;
  private readonly distance: Float64Array;
  private readonly arrivedBy: Int32Array;
  private search = 0;

  constructor(
    private readonly values: readonly number[],
    relations: readonly AdditiveRelation[],
    private readonly threshold: number,
  ) {
    if (!Number.isInteger(threshold) || threshold < 3) {
      // At 2, `<2` would say the count is 1.
      throw new RangeError(`The threshold must be a whole number of at least 3, not ${threshold}`);
    }
    values.forEach((value, cell) => {
      if (!Number.isSafeInteger(value) || value < 0)
        throw new RangeError(`Cell ${cell} is ${value}, not a count`);
    });
    this.first = new Int32Array(relations.length + 1);
    relations.forEach((relation, r) => (this.first[r + 1] = this.first[r] + 1 + relation.members.length));
    this.cellAt = new Int32Array(this.first[relations.length]);
    this.signAt = new Int8Array(this.first[relations.length]);
    relations.forEach((relation, r) => this.add(relation, r));
    const nodes = 2 * relations.length;
    this.tail = new Int32Array(values.length).fill(-1);
    this.head = new Int32Array(values.length).fill(-1);
    const dropped = this.orient(relations.length);
    this.arcsFrom = Array.from({ length: nodes }, () => []);
    this.tail.forEach((from, cell) => {
      if (from < 0) return;
      this.arcsFrom[from].push(cell);
      this.arcsFrom[this.head[cell]].push(cell);
    });
    const forest = this.spanningForest();
    const astray = dropped.find((r) => !this.follows(r, forest));
    if (astray !== undefined) {
      throw new RangeError(
        `Relation ${astray} does not follow from the others, and with it some cell is in three relations: these ` +
          'are not a two-way table with a hierarchy along one way, which is what the suppression can audit exactly',
      );
    }
    this.escalation = 1 + values.reduce((sum, value) => sum + value, 0);
    this.mark = new Int32Array(nodes);
    this.distance = new Float64Array(nodes);
    this.arrivedBy = new Int32Array(nodes);
  }

  private add({ total, members }: AdditiveRelation, r: number): void {
    const cells = [total, ...members];
    if (
      members.length === 0 ||
      cells.some((cell) => !(Number.isInteger(cell) && cell >= 0 && cell < this.values.length))
    ) {
      throw new RangeError(`Relation ${r} names no members or a cell outside the table`);
    }
    if (new Set(cells).size !== cells.length) throw new RangeError(`Relation ${r} names a cell twice`);
    const sum = members.reduce((s, cell) => s + this.values[cell], 0);
    if (sum !== this.values[total]) {
      throw new RangeError(
        `Relation ${r}: cell ${total} is ${this.values[total]} but its members add up to ${sum}`,
      );
    }
    cells.forEach((cell, i) => {
      this.cellAt[this.first[r] + i] = cell;
      this.signAt[this.first[r] + i] = i === 0 ? 1 : -1;
    });
  }

  // Keeps relations while every cell is in at most two kept ones and a multiplier of +1 or -1 per relation gives
  // each cell opposite signs in its two (a union-find whose links record whether two relations take the same
  // multiplier). Relations come in order of the share of their cells that are in three relations or more, so the
  // ones set aside are those with all their cells so crowded: a region's row, which follows from its areas' rows and
  // its columns. Returns them.
  private orient(relationCount: number): number[] {
    const inRelations = new Int32Array(this.values.length);
    this.cellAt.forEach((cell) => inRelations[cell]++);
    const crowding = new Int32Array(relationCount);
    for (let r = 0; r < relationCount; r++) {
      for (let p = this.first[r]; p < this.first[r + 1]; p++)
        if (inRelations[this.cellAt[p]] > 2) crowding[r]++;
    }
    const size = (r: number) => this.first[r + 1] - this.first[r];
    const order = Array.from({ length: relationCount }, (_, r) => r).sort(
      (a, b) => crowding[a] * size(b) - crowding[b] * size(a) || a - b,
    );
    const parent = Int32Array.from({ length: relationCount }, (_, r) => r);
    const flipped = new Uint8Array(relationCount);
    // Afterwards parent[r] is the root and flipped[r] says whether r's multiplier is the opposite of the root's.
    const root = (r: number): number => {
      const path: number[] = [];
      let top = r;
      for (; parent[top] !== top; top = parent[top]) path.push(top);
      for (let i = path.length - 1, flip = 0; i >= 0; i--) {
        flip ^= flipped[path[i]];
        [parent[path[i]], flipped[path[i]]] = [top, flip];
      }
      return top;
    };
    const first = new Int32Array(this.values.length).fill(-1);
    const firstSign = new Int8Array(this.values.length);
    const second = new Int32Array(this.values.length).fill(-1);
    const dropped: number[] = [];
    for (const r of order) {
      const joins = new Map<number, number>();
      let fits = true;
      for (let p = this.first[r]; p < this.first[r + 1] && fits; p++) {
        const cell = this.cellAt[p];
        if (second[cell] >= 0) fits = false;
        else if (first[cell] >= 0) {
          const other = root(first[cell]);
          const wanted = flipped[first[cell]] ^ (this.signAt[p] === firstSign[cell] ? 1 : 0);
          fits = joins.get(other) !== 1 - wanted;
          joins.set(other, wanted);
        }
      }
      if (!fits) {
        dropped.push(r);
        continue;
      }
      joins.forEach((flip, other) => {
        parent[other] = r;
        flipped[other] = flip;
      });
      for (let p = this.first[r]; p < this.first[r + 1]; p++) {
        const cell = this.cellAt[p];
        if (first[cell] < 0) [first[cell], firstSign[cell]] = [r, this.signAt[p]];
        else second[cell] = r;
      }
    }
    first.forEach((r, cell) => {
      if (r < 0) return;
      const top = root(r);
      // The relation's sign for the cell, after its multiplier: +1 is the arc's head, -1 its tail. A cell in one
      // kept relation runs to or from the ground node of its connected part.
      const entering = firstSign[cell] * (flipped[r] === 1 ? -1 : 1) > 0;
      const other = second[cell] >= 0 ? second[cell] : relationCount + top;
      [this.head[cell], this.tail[cell]] = entering ? [r, other] : [other, r];
    });
    return dropped;
  }

  // A relation follows from the kept ones when some weights on the nodes give every arc the relation's sign for its
  // cell (0 for cells not in it) as weight(head) - weight(tail): the relation is then the weighted sum of the nodes.
  // The weights are set along a spanning tree of each connected part the relation touches, then every arc checked.
  private follows(r: number, forest: Forest): boolean {
    const cells = this.cellAt.subarray(this.first[r], this.first[r + 1]);
    if (cells.some((cell) => this.tail[cell] < 0)) return false;
    cells.forEach((cell, i) => (forest.sign[cell] = this.signAt[this.first[r] + i]));
    const parts = new Set(Array.from(cells, (cell) => forest.part[this.tail[cell]]));
    const follows = [...parts].every((part) => {
      const nodes = forest.order.subarray(forest.partStart[part], forest.partStart[part + 1]);
      for (const node of nodes) {
        const arc = forest.reachedBy[node];
        if (arc < 0) forest.weight[node] = 0;
        else if (this.head[arc] === node)
          forest.weight[node] = forest.weight[this.tail[arc]] + forest.sign[arc];
        else forest.weight[node] = forest.weight[this.head[arc]] - forest.sign[arc];
      }
      return nodes.every((node) =>
        this.arcsFrom[node].every(
          (arc) =>
            this.tail[arc] !== node ||
            forest.weight[this.head[arc]] - forest.weight[node] === forest.sign[arc],
        ),
      );
    });
    cells.forEach((cell) => (forest.sign[cell] = 0));
    return follows;
  }

  private spanningForest(): Forest {
    const nodes = this.arcsFrom.length;
    const forest: Forest = {
      order: new Int32Array(nodes),
      part: new Int32Array(nodes).fill(-1),
      partStart: [0],
      reachedBy: new Int32Array(nodes).fill(-1),
      weight: new Float64Array(nodes),
      sign: new Int8Array(this.values.length),
    };
    let placed = 0;
    for (let start = 0; start < nodes; start++) {
      if (forest.part[start] >= 0) continue;
      const part = forest.partStart.length - 1;
      forest.part[start] = part;
      forest.order[placed++] = start;
      for (let next = placed - 1; next < placed; next++) {
        const node = forest.order[next];
        for (const arc of this.arcsFrom[node]) {
          const other = this.tail[arc] === node ? this.head[arc] : this.tail[arc];
          if (forest.part[other] >= 0) continue;
          forest.part[other] = part;
          forest.reachedBy[other] = arc;
          forest.order[placed++] = other;
        }
      }
      forest.partStart.push(placed);
    }
    return forest;
  }

  /**
   * What stepping a cell by one costs: 0 if its mark allows the new value. Otherwise, when pricing withholding more,
   * a shown count other than 0 costs its value (withheld, it may be anything from 1 up, and at the threshold or more
   * it can step either way), and a `<5` at threshold - 1 that must grow costs the escalation to `[c]`.
   */
  cost(cell: number, direction: Direction, shown: readonly Suppression[], pricing: Pricing): number {
    const value = this.values[cell] + direction;
    const mark = shown[cell];
    if (mark === null)
      return pricing === 'withholding more' && this.values[cell] > 0 ? this.values[cell] : IMPOSSIBLE;
    if (value >= 1 && (mark === 'secondary' || value < this.threshold)) return 0;
    return pricing === 'withholding more' && value >= 1 ? this.escalation : IMPOSSIBLE;
  }

  /** The cheapest cycle of steps through a cell, or null if there is none at any price. */
  cheapestCycle(cell: number, shown: readonly Suppression[], pricing: Pricing): Step[] | null {
    let cheapest: { price: number; steps: Step[] } | null = null;
    for (const direction of [UP, DOWN] as const) {
      const own = this.cost(cell, direction, shown, pricing);
      if (own === IMPOSSIBLE) continue;
      // Stepping up runs along the arc, from tail to head; the cycle returns from head to tail. A cell in no
      // relation moves alone.
      const [from, to] =
        direction === UP ? [this.head[cell], this.tail[cell]] : [this.tail[cell], this.head[cell]];
      const path = from < 0 ? { price: 0, steps: [] } : this.cheapestPath(from, to, cell, shown, pricing);
      if (path !== null && (cheapest === null || own + path.price < cheapest.price)) {
        cheapest = { price: own + path.price, steps: [{ cell, direction }, ...path.steps] };
      }
    }
    return cheapest?.steps ?? null;
  }

  private cheapestPath(
    from: number,
    to: number,
    avoiding: number,
    shown: readonly Suppression[],
    pricing: Pricing,
  ): { price: number; steps: Step[] } | null {
    this.search++;
    this.reach(from, 0, -1);
    const queue = new Heap();
    queue.push(0, from);
    while (queue.size > 0) {
      const [distance, node] = queue.pop();
      if (distance > this.distance[node]) continue;
      if (node === to) return { price: distance, steps: this.stepsTo(to, from) };
      for (const arc of this.arcsFrom[node]) {
        if (arc === avoiding) continue;
        const outwards = this.tail[arc] === node;
        const cost = this.cost(arc, outwards ? UP : DOWN, shown, pricing);
        const next = outwards ? this.head[arc] : this.tail[arc];
        if (
          cost === IMPOSSIBLE ||
          (this.mark[next] === this.search && this.distance[next] <= distance + cost)
        )
          continue;
        this.reach(next, distance + cost, arc);
        queue.push(distance + cost, next);
      }
    }
    return null;
  }

  private reach(node: number, distance: number, arc: number): void {
    this.mark[node] = this.search;
    this.distance[node] = distance;
    this.arrivedBy[node] = arc;
  }

  private stepsTo(node: number, start: number): Step[] {
    const steps: Step[] = [];
    while (node !== start) {
      const arc = this.arrivedBy[node];
      const forwards = this.head[arc] === node;
      steps.push({ cell: arc, direction: forwards ? UP : DOWN });
      node = forwards ? this.tail[arc] : this.head[arc];
    }
    return steps.reverse();
  }
}

/** A binary min-heap of (priority, item) pairs. */
class Heap {
  private readonly priorities: number[] = [];
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(priority: number, item: number): void {
    let i = this.items.length;
    this.priorities.push(priority);
    this.items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.priorities[parent] <= priority) break;
      this.priorities[i] = this.priorities[parent];
      this.items[i] = this.items[parent];
      i = parent;
    }
    this.priorities[i] = priority;
    this.items[i] = item;
  }

  pop(): [number, number] {
    const top: [number, number] = [this.priorities[0], this.items[0]];
    const priority = this.priorities.pop() as number;
    const item = this.items.pop() as number;
    const size = this.items.length;
    if (size > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && this.priorities[child + 1] < this.priorities[child]) child++;
        if (this.priorities[child] >= priority) break;
        this.priorities[i] = this.priorities[child];
        this.items[i] = this.items[child];
        i = child;
      }
      this.priorities[i] = priority;
      this.items[i] = item;
    }
    return top;
  }
}
