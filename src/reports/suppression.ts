// Small-number suppression for the coverage reports. The reports are cut from one national table of counts whose
// cells are tied by additive relations (a region is the sum of its areas, England of its regions, "all professions"
// of the professions). The table is suppressed once, as a whole, so every filtered view shows part of one
// consistently suppressed table and no two views can be differenced against each other.
//
// What a reader knows of a withheld cell: `<5` means 1 to 4; `[c]` means any count, 0 included, because a count of
// 1 to 4 is shown as `[c]` where `<5` would give it away (four professions of `<5` each under an area total of `<5`
// are all 1). A withheld cell is safe when some other table, in whole people, agrees with everything shown.

export type Suppression = 'primary' | 'secondary' | null;

/** cells[total] = sum of cells[members] */
export interface AdditiveRelation {
  total: number;
  members: readonly number[];
}

// Past this many steps the search for another consistent table gives up and the cell counts as recoverable: the
// cost is an extra suppression, never a disclosure.
const SEARCH_STEPS = 20_000;
const LONGEST_MOVE = 500;
const UP = 1;
const DOWN = -1;
type Direction = typeof UP | typeof DOWN;

/**
 * Which cells to withhold. Counts from 1 to threshold - 1 are primary (`<5`); then, until no withheld count can be
 * worked out from what is shown and the relations, further cells are withheld as secondary (`[c]`).
 */
export function suppress(
  values: readonly number[],
  relations: readonly AdditiveRelation[],
  threshold: number,
): Suppression[] {
  const table = new Table(values, relations, threshold);
  const shown: Suppression[] = values.map((value) => (value >= 1 && value < threshold ? 'primary' : null));
  table.withholdPartners(shown);
  const audit = new Audit(table, shown);
  for (let exposed = audit.recoverable(); exposed.length > 0; exposed = audit.recoverable()) {
    // One repair per relation a round: a repair often protects the other exposed cells of its relations too.
    const repaired = new Uint8Array(table.relationCount);
    for (const cell of exposed) {
      if (table.relationsOf(cell).some((r) => repaired[r] === 1)) continue;
      const withheld = table.repair(cell, shown);
      shown[withheld] = 'secondary';
      for (const r of [...table.relationsOf(cell), ...table.relationsOf(withheld)]) repaired[r] = 1;
    }
    table.withholdPartners(shown);
  }
  return shown;
}

/**
 * The withheld cells whose value follows from what is shown: there is no other table in whole people that agrees
 * with the shown counts, with 1 <= x <= threshold - 1 for each `<5`, x >= 0 for each `[c]`, and with the relations.
 * Exact for tables whose relations are totally unimodular, as the nested geography by profession tables are; for
 * others it may name a cell that is in fact safe, never the reverse.
 */
export function recoverableCells(
  values: readonly number[],
  relations: readonly AdditiveRelation[],
  suppression: readonly Suppression[],
  threshold: number,
): number[] {
  if (suppression.length !== values.length) {
    throw new RangeError(`${suppression.length} suppressions for ${values.length} cells`);
  }
  const table = new Table(values, relations, threshold);
  suppression.forEach((s, cell) => {
    if (s === 'primary' && !(values[cell] >= 1 && values[cell] < threshold)) {
      throw new RangeError(
        `Cell ${cell} is ${values[cell]}, not a count below ${threshold}, yet marked primary`,
      );
    }
  });
  return new Audit(table, suppression).recoverable();
}

/** The count as a report shows it. A count from 1 to threshold - 1 is refused unless it is withheld. */
export function shownCount(value: number, suppression: Suppression, threshold: number): string {
  switch (suppression) {
    case 'primary':
      if (!(value >= 1 && value < threshold))
        throw new RangeError(`${value} is not a count below ${threshold}`);
      return `<${threshold}`;
    case 'secondary':
      return '[c]';
    case null:
      if (value >= 1 && value < threshold)
        throw new RangeError(`${value} is below ${threshold} and must be withheld`);
      return String(value);
  }
}

/** The cells and relations as flat arrays both ways round: relation -> cells and cell -> relations. */
class Table {
  readonly relationCount: number;
  // Cells of relation r: cellAt[first[r] .. first[r + 1]), with sign +1 for the total and -1 for a member.
  private readonly first: Int32Array;
  private readonly cellAt: Int32Array;
  private readonly signAt: Int8Array;
  private readonly memberships: { relation: number; sign: number }[][];

  constructor(
    readonly values: readonly number[],
    relations: readonly AdditiveRelation[],
    readonly threshold: number,
  ) {
    if (!Number.isInteger(threshold) || threshold < 3) {
      // At 2, `<2` would say the count is 1.
      throw new RangeError(`The threshold must be a whole number of at least 3, not ${threshold}`);
    }
    values.forEach((value, cell) => {
      if (!Number.isSafeInteger(value) || value < 0)
        throw new RangeError(`Cell ${cell} is ${value}, not a count`);
    });
    this.relationCount = relations.length;
    this.first = new Int32Array(relations.length + 1);
    relations.forEach((relation, r) => (this.first[r + 1] = this.first[r] + 1 + relation.members.length));
    this.cellAt = new Int32Array(this.first[relations.length]);
    this.signAt = new Int8Array(this.first[relations.length]);
    this.memberships = values.map(() => []);
    relations.forEach((relation, r) => this.add(relation, r));
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
      const sign = i === 0 ? 1 : -1;
      this.cellAt[this.first[r] + i] = cell;
      this.signAt[this.first[r] + i] = sign;
      this.memberships[cell].push({ relation: r, sign });
    });
  }

  relationsOf(cell: number): number[] {
    return this.memberships[cell].map((m) => m.relation);
  }

  membershipsOf(cell: number): readonly { relation: number; sign: number }[] {
    return this.memberships[cell];
  }

  /** Positions p in cellAt/signAt of relation r's cells. */
  positions(r: number): [number, number] {
    return [this.first[r], this.first[r + 1]];
  }

  cell(p: number): number {
    return this.cellAt[p];
  }

  sign(p: number): number {
    return this.signAt[p];
  }

  cellsOf(r: number): number[] {
    return Array.from(this.cellAt.subarray(this.first[r], this.first[r + 1]));
  }

  // What a reader can tell of a cell: its value if shown, else the range its mark allows.
  lowest(cell: number, shown: readonly Suppression[]): number {
    return shown[cell] === null ? this.values[cell] : 1;
  }

  highest(cell: number, shown: readonly Suppression[]): number {
    const mark = shown[cell];
    return mark === null ? this.values[cell] : mark === 'primary' ? this.threshold - 1 : Infinity;
  }

  /**
   * The cheap first pass, until nothing changes: a relation with one withheld cell gets a second, and a relation
   * pinned by the ranges alone is loosened.
   */
  withholdPartners(shown: Suppression[]): void {
    const queued = new Uint8Array(this.relationCount).fill(1);
    const queue = Array.from({ length: this.relationCount }, (_, r) => r);
    while (queue.length > 0) {
      const r = queue.pop() as number;
      queued[r] = 0;
      const withheld = this.cellsOf(r).filter((cell) => shown[cell] !== null);
      if (withheld.length === 0) continue;
      const pinned = this.pinnedSide(r, shown);
      const cell =
        withheld.length === 1
          ? this.partner(r, shown)
          : pinned === null
            ? null
            : this.loosen(r, pinned, shown);
      if (cell === null) continue;
      shown[cell] = 'secondary';
      for (const next of [r, ...this.relationsOf(cell)]) {
        if (queued[next] === 0) queue.push(next);
        queued[next] = 1;
      }
    }
  }

  /**
   * The cell to withhold (or to show as `[c]` rather than `<5`) next, for a recoverable cell. A relation pinned by
   * the ranges alone (its total can be no larger, its members no smaller) must be loosened itself; otherwise a cell
   * is withheld in the relation with the fewest withheld cells, the nearest one outwards if all of its own are.
   */
  repair(exposed: number, shown: readonly Suppression[]): number {
    const own = this.relationsOf(exposed);
    for (const r of own) {
      const pinned = this.pinnedSide(r, shown);
      if (pinned !== null) return this.loosen(r, pinned, shown);
    }
    const withheldIn = (r: number) => this.cellsOf(r).filter((cell) => shown[cell] !== null).length;
    const seen = new Set<number>();
    let ring = [...own].sort((a, b) => withheldIn(a) - withheldIn(b));
    const rings: number[][] = [];
    while (ring.length > 0) {
      ring.forEach((r) => seen.add(r));
      rings.push(ring);
      for (const r of ring) {
        const cell = this.partner(r, shown);
        if (cell !== null) return cell;
      }
      const next = ring.flatMap((r) =>
        this.cellsOf(r)
          .filter((cell) => shown[cell] !== null)
          .flatMap((cell) => this.relationsOf(cell)),
      );
      ring = [...new Set(next)].filter((r) => !seen.has(r));
    }
    if (shown[exposed] === 'primary') return exposed;
    for (const r of rings.flat()) {
      const primary = this.cellsOf(r).find((cell) => shown[cell] === 'primary');
      if (primary !== undefined) return primary;
    }
    throw new Error(`Cell ${exposed} follows from the relations alone, whatever else is withheld`);
  }

  // The direction in which relation r cannot give: 'total at most' when its total is at its highest and every
  // member at its lowest, 'total at least' the other way round; null when the ranges leave it room.
  private pinnedSide(r: number, shown: readonly Suppression[]): 'highest total' | 'lowest total' | null {
    const [from, to] = this.positions(r);
    let most = 0;
    let least = 0;
    for (let p = from; p < to; p++) {
      const cell = this.cellAt[p];
      const member = this.signAt[p] < 0;
      most += member ? -this.lowest(cell, shown) : this.highest(cell, shown);
      least += member ? -this.highest(cell, shown) : this.lowest(cell, shown);
    }
    return most === 0 ? 'highest total' : least === 0 ? 'lowest total' : null;
  }

  private loosen(r: number, pinned: 'highest total' | 'lowest total', shown: readonly Suppression[]): number {
    const [total, ...members] = this.cellsOf(r);
    // Withholding a shown count (zeros are never withheld) lets it be anything from 1 up, which frees the relation
    // either way; a `<5` made `[c]` can be larger than 4, which frees a total pinned at its highest, or a member
    // pinned at its highest.
    const helper = this.cheapest(
      [...members, total].filter((cell) => shown[cell] === null && this.values[cell] > 0),
      r,
      shown,
    );
    if (helper !== undefined) return helper;
    const escalated = (pinned === 'highest total' ? [total] : members).find(
      (cell) => shown[cell] === 'primary',
    );
    if (escalated === undefined) throw new Error(`Relation ${r} is pinned with nothing left to withhold`);
    return escalated;
  }

  // The shown cell to withhold beside relation r's withheld ones, or null if none is shown.
  private partner(r: number, shown: readonly Suppression[]): number | null {
    const shownCounts = this.cellsOf(r).filter((cell) => shown[cell] === null && this.values[cell] > 0);
    return this.cheapest(shownCounts, r, shown) ?? null;
  }

  // Non-zero cells first (a zero beside a `<5` of 1 gives no cover: neither can be smaller, so the total would have
  // to grow); then the one that leaves fewest of its other relations with a single withheld cell, each of which would
  // need a partner in turn; then the smallest.
  private cheapest(candidates: number[], r: number, shown: readonly Suppression[]): number | undefined {
    const cost = (cell: number) => [
      this.values[cell] === 0 ? 1 : 0,
      this.relationsOf(cell).filter(
        (other) => other !== r && this.cellsOf(other).every((c) => shown[c] === null),
      ).length,
      this.values[cell],
    ];
    const costs = new Map(candidates.map((cell) => [cell, cost(cell)]));
    return candidates.sort((a, b) => {
      const [x, y] = [costs.get(a) as number[], costs.get(b) as number[]];
      return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a - b;
    })[0];
  }
}

/**
 * Searches, for each withheld cell, for a move: +1 or -1 on some withheld cells, 0 on the shown ones, that keeps
 * every relation balanced and every cell in the range its mark allows. A move gives another consistent table, so each
 * cell it touches is safe. For totally unimodular relations such a move exists whenever any other consistent table
 * does (a difference of two tables splits into moves that go the same way), so the search is then exact.
 */
class Audit {
  private readonly step: Int8Array;
  private readonly barred: Uint8Array; // bit 1: +1 already tried and failed here, bit 2: -1
  private readonly imbalance: Int32Array;
  private readonly open: number[] = [];
  private readonly openAt: Int32Array;
  private readonly moved: number[] = [];
  private readonly bars: number[] = [];
  private readonly safe: Uint8Array; // safe stays safe: withholding more only widens what a reader must allow
  private steps = 0;
  private gaveUp = false;

  constructor(
    private readonly table: Table,
    private readonly shown: readonly Suppression[],
  ) {
    const cells = table.values.length;
    this.step = new Int8Array(cells);
    this.barred = new Uint8Array(cells);
    this.safe = new Uint8Array(cells);
    this.imbalance = new Int32Array(table.relationCount);
    this.openAt = new Int32Array(table.relationCount).fill(-1);
  }

  recoverable(): number[] {
    const exposed: number[] = [];
    this.shown.forEach((mark, cell) => {
      if (mark !== null && this.safe[cell] === 0 && !this.canBeOtherwise(cell)) exposed.push(cell);
    });
    return exposed;
  }

  private canBeOtherwise(cell: number): boolean {
    return ([UP, DOWN] as const).some(
      (direction) => this.canMove(cell, direction) && this.findMove(cell, direction),
    );
  }

  private canMove(cell: number, direction: Direction): boolean {
    if (this.shown[cell] === null || this.step[cell] !== 0) return false;
    const value = this.table.values[cell] + direction;
    return value >= this.table.lowest(cell, this.shown) && value <= this.table.highest(cell, this.shown);
  }

  private findMove(cell: number, direction: Direction): boolean {
    this.steps = 0;
    this.gaveUp = false;
    this.shift(cell, direction);
    const found = this.extend(1);
    if (found) this.moved.forEach((moved) => (this.safe[moved] = 1));
    while (this.moved.length > 0) this.unshift();
    this.liftBarsTo(0);
    return found;
  }

  // Depth-first: take an unbalanced relation with the fewest ways to balance it, try each way in turn; a way that
  // failed stays barred for its siblings, which keeps the search complete without retrying it.
  private extend(size: number): boolean {
    if (this.open.length === 0) return true;
    if (++this.steps > SEARCH_STEPS || size > LONGEST_MOVE) {
      this.gaveUp = true;
      return false;
    }
    const r = this.narrowestOpen();
    if (r < 0) return false;
    const wanted = this.imbalance[r] > 0 ? -1 : 1;
    const barredFrom = this.bars.length;
    const [from, to] = this.table.positions(r);
    for (let p = from; p < to; p++) {
      const cell = this.table.cell(p);
      const direction = (wanted * this.table.sign(p)) as Direction;
      if (!this.canMove(cell, direction) || this.isBarred(cell, direction)) continue;
      this.shift(cell, direction);
      if (this.extend(size + 1)) return true;
      this.unshift();
      if (this.gaveUp) break;
      this.bar(cell, direction);
    }
    this.liftBarsTo(barredFrom);
    return false;
  }

  private narrowestOpen(): number {
    let narrowest = -1;
    let fewest = Infinity;
    for (const r of this.open) {
      const wanted = this.imbalance[r] > 0 ? -1 : 1;
      const [from, to] = this.table.positions(r);
      let ways = 0;
      for (let p = from; p < to; p++) {
        const direction = (wanted * this.table.sign(p)) as Direction;
        const cell = this.table.cell(p);
        if (this.canMove(cell, direction) && !this.isBarred(cell, direction)) ways++;
      }
      if (ways === 0) return -1;
      if (ways < fewest) [narrowest, fewest] = [r, ways];
    }
    return narrowest;
  }

  private shift(cell: number, direction: Direction): void {
    this.step[cell] = direction;
    this.moved.push(cell);
    this.rebalance(cell, direction);
  }

  private unshift(): void {
    const cell = this.moved.pop() as number;
    this.rebalance(cell, -this.step[cell]);
    this.step[cell] = 0;
  }

  private rebalance(cell: number, change: number): void {
    for (const { relation, sign } of this.table.membershipsOf(cell)) {
      const was = this.imbalance[relation];
      const now = (this.imbalance[relation] = was + sign * change);
      if (was === 0 && now !== 0) {
        this.openAt[relation] = this.open.length;
        this.open.push(relation);
      } else if (was !== 0 && now === 0) {
        const last = this.open.pop() as number;
        if (last !== relation) {
          this.open[this.openAt[relation]] = last;
          this.openAt[last] = this.openAt[relation];
        }
        this.openAt[relation] = -1;
      }
    }
  }

  private isBarred(cell: number, direction: Direction): boolean {
    return (this.barred[cell] & (direction === UP ? 1 : 2)) !== 0;
  }

  private bar(cell: number, direction: Direction): void {
    const bit = direction === UP ? 1 : 2;
    this.barred[cell] |= bit;
    this.bars.push(cell * 4 + bit);
  }

  private liftBarsTo(length: number): void {
    while (this.bars.length > length) {
      const entry = this.bars.pop() as number;
      this.barred[entry >> 2] &= ~(entry & 3);
    }
  }
}
