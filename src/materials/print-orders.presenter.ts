import { londonDay } from 'src/common/london-date';
import { options } from 'src/common/form-options';
import { PRINT_ORDER_FILTERS, PrintOrderFilter } from 'src/materials/dto/print-order.dto';
import { PRINT_ORDER_NEXT, PrintOrderStatus } from 'src/materials/print-order.entity';
import type {
  LeadPrintOrderRow,
  PrintOrderRow,
  TraineePrintOrderRow,
} from 'src/materials/print-orders.service';

/** Labels, tags and view models of print orders: plain functions, unit-testable. */

export const PRINT_ORDER_STATUS_TAGS: Record<PrintOrderStatus, { text: string; colour: string }> = {
  requested: { text: 'Requested', colour: 'blue' },
  dispatched: { text: 'Dispatched', colour: 'yellow' },
  received: { text: 'Received', colour: 'green' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
};

const FILTER_LABELS: Record<PrintOrderFilter, string> = {
  outstanding: 'Outstanding (requested or dispatched)',
  requested: 'Requested',
  dispatched: 'Dispatched',
  received: 'Received',
  cancelled: 'Cancelled',
};

/** The page's filter from its query string: outstanding orders unless another known status is asked for. */
export const pageFilter = (value: unknown): PrintOrderFilter =>
  PRINT_ORDER_FILTERS.find((filter) => filter === value) ?? 'outstanding';

export const filterOptions = (chosen: PrintOrderFilter) =>
  options(PRINT_ORDER_FILTERS, FILTER_LABELS, chosen);

/** "3 of 12 trainees": of the trainees who hold a place on the cohort, how many said their copy arrived. */
export const receiptsText = (confirmed: number, trainees: number) =>
  `${confirmed} of ${trainees} trainee${trainees === 1 ? '' : 's'}`;

const namesOf = (row: PrintOrderRow) => ({
  cohort: { id: row.cohortId, title: row.cohortTitle },
  material: { id: row.materialId, code: row.materialCode, title: row.materialTitle },
  edition: { id: row.editionId, label: row.editionLabel },
});

/** What the API says of an order, for those who manage it. */
export const printOrderJson = (row: LeadPrintOrderRow) => ({
  id: row.id,
  status: row.status,
  copies: row.copies,
  trackingRef: row.trackingRef,
  organisationId: row.organisationId,
  ...namesOf(row),
  requestedById: row.requestedById,
  requestedAt: row.requestedAt,
  dispatchedById: row.dispatchedById,
  dispatchedAt: row.dispatchedAt,
  receivedById: row.receivedById,
  receivedAt: row.receivedAt,
  cancelledById: row.cancelledById,
  cancelledAt: row.cancelledAt,
  receipts: { confirmed: row.confirmed, trainees: row.trainees },
});

/** What a trainee is told of an order sent to their cohort: no more than their own copy needs. */
export const traineePrintOrderJson = (row: TraineePrintOrderRow) => ({
  id: row.id,
  status: row.status,
  ...namesOf(row),
  trackingRef: row.trackingRef,
  dispatchedAt: row.dispatchedAt,
  receivedAt: row.receivedAt,
  confirmedAt: row.confirmedAt,
});

/** The table of orders with each row's actions, the same on the outstanding list and on a cohort's page. */
export function printOrderRowsView(rows: LeadPrintOrderRow[]) {
  return rows.map((row) => {
    const next = PRINT_ORDER_NEXT[row.status];
    const sent = row.status === 'dispatched' || row.status === 'received';
    return {
      id: row.id,
      ...namesOf(row),
      copies: row.copies,
      tag: PRINT_ORDER_STATUS_TAGS[row.status],
      trackingRef: row.trackingRef,
      requestedOn: londonDay(row.requestedAt),
      requestedAt: row.requestedAt,
      receipts: sent ? receiptsText(row.confirmed, row.trainees) : null,
      canDispatch: next.includes('dispatched'),
      canReceive: next.includes('received'),
      canCancel: next.includes('cancelled'),
    };
  });
}
