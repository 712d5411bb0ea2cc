import { pageFilter, printOrderRowsView, receiptsText } from 'src/materials/print-orders.presenter';
import type { LeadPrintOrderRow } from 'src/materials/print-orders.service';

const order: LeadPrintOrderRow = {
  id: 'o1',
  status: 'requested',
  copies: 12,
  trackingRef: null,
  organisationId: 'org',
  cohortId: 'c1',
  cohortTitle: 'Foundation evenings',
  materialId: 'm1',
  materialCode: 'RPH',
  materialTitle: 'Reflective Practice Handbook',
  editionId: 'e1',
  editionLabel: '2nd edition (2009)',
  requestedById: 'lead',
  requestedAt: new Date('2026-06-30T23:30:00Z'),
  dispatchedById: null,
  dispatchedAt: null,
  receivedById: null,
  receivedAt: null,
  cancelledById: null,
  cancelledAt: null,
  trainees: 12,
  confirmed: 3,
};

describe(printOrderRowsView.name, () => {
  it('offers each order only the changes its status allows', () => {
    const actions = (status: LeadPrintOrderRow['status']) => {
      const [row] = printOrderRowsView([{ ...order, status }]);
      return [row.canDispatch, row.canReceive, row.canCancel];
    };
    expect(actions('requested')).toEqual([true, false, true]);
    expect(actions('dispatched')).toEqual([false, true, false]);
    expect(actions('received')).toEqual([false, false, false]);
    expect(actions('cancelled')).toEqual([false, false, false]);
  });

  it('shows the day it was requested on in London, and receipts only once the copies are sent', () => {
    const [requested] = printOrderRowsView([order]);
    expect(requested.requestedOn).toBe('1 Jul 2026');
    expect(requested.receipts).toBeNull();
    const [sent] = printOrderRowsView([{ ...order, status: 'dispatched', trackingRef: 'RM1' }]);
    expect(sent.receipts).toBe('3 of 12 trainees');
    expect(sent.tag).toEqual({ text: 'Dispatched', colour: 'yellow' });
  });
});

describe(receiptsText.name, () => {
  it('counts one trainee in the singular', () => {
    expect(receiptsText(1, 1)).toBe('1 of 1 trainee');
    expect(receiptsText(0, 0)).toBe('0 of 0 trainees');
  });
});

describe(pageFilter.name, () => {
  it('shows outstanding orders unless a known status is asked for', () => {
    expect(pageFilter(undefined)).toBe('outstanding');
    expect(pageFilter('received')).toBe('received');
    expect(pageFilter(['received'])).toBe('outstanding');
    expect(pageFilter('lost')).toBe('outstanding');
  });
});
