import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import TestAgent from 'supertest/lib/agent';
import { londonDay } from 'src/common/london-date';
import { samplePdf } from 'src/materials/sample-pdf.fixture';
import { cohortSetup, CohortSetup, createCohort } from './support/cohort-factory';
import { csrfTokenFrom, TestApp, TestUser } from './support/test-app';
import { eventually } from './support/eventually';

const UNKNOWN = '00000000-0000-4000-8000-00000000abcd';

/** The text of the error shown beside a field, up to the end of its paragraph. */
function besideField(html: string, id: string): string {
  const start = html.indexOf(`id="${id}-error"`);
  if (start < 0) throw new Error(`No error shown beside ${id}`);
  return html.slice(start, html.indexOf('</p>', start));
}

/** The table row of an order on a page: where its status, tracking reference and actions are. */
function rowOf(html: string, orderId: string): string {
  const cell = html.indexOf(`id="order-${orderId}"`);
  if (cell < 0) throw new Error(`Order ${orderId} is not on the page`);
  return html.slice(html.lastIndexOf('<tr', cell), html.indexOf('</tr>', cell));
}

describe('Print orders', () => {
  let t: TestApp;
  let setup: CohortSetup;
  let admin: TestAgent;
  let handbook: { id: string; editionId: string };
  let manual: string;
  let worksheet: string;
  let cohortId: string;
  let trainees: TestUser[];

  async function addMaterial(code: string, courseCodes: string[], edition?: string) {
    const { body } = await admin
      .post('/api/v1/materials')
      .send({ code, title: `${code} handbook`, kind: 'handbook', courseCodes, audience: ['trainee'] })
      .expect(201);
    if (!edition) return { id: body.id as string, editionId: '' };
    return { id: body.id as string, editionId: await addEdition(body.id, edition) };
  }

  async function addEdition(materialId: string, label: string): Promise<string> {
    const { body } = await admin
      .post(`/api/v1/materials/${materialId}/editions`)
      .set('X-Requested-With', 'test')
      .field('label', label)
      .attach('file', await samplePdf(2), 'handbook.pdf')
      .expect(201);
    return body.id;
  }

  async function enrol(cohort: string, trainee: TestUser) {
    await setup.leadAgent
      .post(`/api/v1/cohorts/${cohort}/enrolments`)
      .send({ traineeId: trainee.id })
      .expect(201);
  }

  const order = (copies = 2, cohort = cohortId, agent = setup.leadAgent) =>
    agent.post(`/api/v1/cohorts/${cohort}/print-orders`).send({ materialId: handbook.id, copies });

  async function requested(copies = 2): Promise<string> {
    return (await order(copies).expect(201)).body.id;
  }

  async function dispatched(copies = 2): Promise<string> {
    const id = await requested(copies);
    await setup.leadAgent
      .patch(`/api/v1/print-orders/${id}`)
      .send({ status: 'dispatched', trackingRef: 'RM123456789GB' })
      .expect(200);
    return id;
  }

  async function auditOf(action: string, subjectId: string) {
    const { body } = await admin
      .get(`/api/v1/audit-events?action=${action}&subjectId=${subjectId}`)
      .expect(200);
    return body.events as Array<{ actorId: string; details: Record<string, unknown> }>;
  }

  /** Posts a page form as a browser does, with the CSRF token of a page; returns where it redirects to. */
  async function submit(agent: TestAgent, path: string, fields: Record<string, string>, from: string) {
    const response = await agent
      .post(path)
      .type('form')
      .send({ _csrf: await csrfTokenFrom(agent, from), ...fields })
      .expect(303);
    return response.headers.location;
  }

  beforeAll(async () => {
    t = await TestApp.start({ STORAGE_DIR: mkdtempSync(join(tmpdir(), 'fpm-print-orders-')) });
    setup = await cohortSetup(t);
    admin = await t.signedIn(await t.newUser(['admin']));
    handbook = await addMaterial('RPH', ['foundation', 'supervision'], '1st edition (2009)');
    manual = (await addMaterial('FTM', ['facilitator'], '1st edition (2010)')).id;
    worksheet = (await addMaterial('WS', ['foundation'])).id;
    cohortId = (await createCohort(setup)).id;
    trainees = [await t.newUser(['trainee']), await t.newUser(['trainee'])];
    for (const trainee of trainees) await enrol(cohortId, trainee);
  });

  afterAll(async () => {
    await t.close();
  });

  it('orders copies of the current edition for a cohort, recording its organisation and who asked, audited', async () => {
    const { body } = await order(12).expect(201);
    expect(body).toMatchObject({
      status: 'requested',
      copies: 12,
      trackingRef: null,
      organisationId: setup.organisationId,
      cohort: { id: cohortId },
      material: { id: handbook.id, code: 'RPH' },
      edition: { id: handbook.editionId, label: '1st edition (2009)' },
      requestedById: setup.lead.id,
      dispatchedAt: null,
      receipts: { confirmed: 0, trainees: 2 },
    });
    const [event] = await auditOf('print_order.requested', body.id);
    expect(event).toMatchObject({
      actorId: setup.lead.id,
      details: {
        cohortId,
        organisationId: setup.organisationId,
        materialId: handbook.id,
        editionId: handbook.editionId,
        copies: 12,
      },
    });

    // A new edition is what later orders get; the earlier order keeps the edition it was placed for.
    const second = await addEdition(handbook.id, '2nd edition (2014)');
    const { body: later } = await order(3).expect(201);
    expect(later.edition).toEqual({ id: second, label: '2nd edition (2014)' });
    const { body: orders } = await setup.leadAgent
      .get(`/api/v1/cohorts/${cohortId}/print-orders`)
      .expect(200);
    expect(orders.find((o: { id: string }) => o.id === body.id).edition.id).toBe(handbook.editionId);
    handbook.editionId = second;
  });

  it('refuses a material not of the cohort’s course, unknown, or without an edition, beside materialId (422)', async () => {
    const refused = async (materialId: string, code: string, message: string) => {
      const { body } = await setup.leadAgent
        .post(`/api/v1/cohorts/${cohortId}/print-orders`)
        .send({ materialId, copies: 2 })
        .expect(422);
      expect(body).toMatchObject({ code, field: 'materialId' });
      expect(body.message).toContain(message);
    };
    await refused(manual, 'MATERIAL_NOT_FOR_COURSE', 'is not a material of the Foundation course');
    await refused(UNKNOWN, 'MATERIAL_UNKNOWN', 'Choose a material from the catalogue');
    await refused(worksheet, 'MATERIAL_HAS_NO_EDITION', 'has no edition yet');
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM print_orders WHERE material_id = ANY($1)`,
      [[manual, worksheet]],
    );
    expect(count).toBe(0);
  });

  it.each<[string, unknown]>([
    ['none', 0],
    ['more than 500', 501],
    ['a fraction', 2.5],
    ['digits as text in JSON', '7'],
    ['nothing at all', undefined],
  ])('refuses %s as the number of copies, saying from 1 to 500 (400)', async (_what, copies) => {
    const { body } = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohortId}/print-orders`)
      .send({ materialId: handbook.id, copies })
      .expect(400);
    expect(body.errors).toEqual({ copies: ['Order from 1 to 500 copies, as a whole number'] });
  });

  it('refuses a material id that is not one, an unknown cohort (404) and a cancelled cohort (422)', async () => {
    const { body } = await setup.leadAgent
      .post(`/api/v1/cohorts/${cohortId}/print-orders`)
      .send({ materialId: 'handbook', copies: 2 })
      .expect(400);
    expect(Object.keys(body.errors)).toEqual(['materialId']);
    await order(2, UNKNOWN).expect(404);
    const cancelled = await createCohort(setup);
    await setup.leadAgent.patch(`/api/v1/cohorts/${cancelled.id}`).send({ status: 'cancelled' }).expect(200);
    const refused = await order(2, cancelled.id).expect(422);
    expect(refused.body).toMatchObject({
      code: 'COHORT_CANCELLED',
      message: 'This cohort has been cancelled: no copies can be ordered for it',
    });
  });

  it('cancels the orders not yet sent when their cohort is cancelled, and keeps the ones already dispatched', async () => {
    const doomed = await createCohort(setup);
    const [waiting, sent] = [
      (await order(3, doomed.id).expect(201)).body.id,
      (await order(4, doomed.id).expect(201)).body.id,
    ];
    await setup.leadAgent
      .patch(`/api/v1/print-orders/${sent}`)
      .send({ status: 'dispatched', trackingRef: 'RM000000001GB' })
      .expect(200);
    await setup.leadAgent.patch(`/api/v1/cohorts/${doomed.id}`).send({ status: 'cancelled' }).expect(200);
    const statuses = await eventually('the waiting order cancelled', async () => {
      const { body } = await setup.leadAgent.get(`/api/v1/cohorts/${doomed.id}/print-orders`).expect(200);
      const byId = new Map(body.map((row: { id: string; status: string }) => [row.id, row.status]));
      return byId.get(waiting) === 'cancelled' && byId;
    });
    expect(statuses.get(sent)).toBe('dispatched');
    expect(await auditOf('print_order.cancelled', waiting)).toHaveLength(1);
  });

  it('takes an order from requested to dispatched with its tracking reference to received, each step audited', async () => {
    const id = await requested();
    const change = (body: Record<string, unknown>) =>
      setup.leadAgent.patch(`/api/v1/print-orders/${id}`).send(body);
    for (const trackingRef of [undefined, '   ', 'x'.repeat(101), 'RM1\nRM2']) {
      const { body } = await change({ status: 'dispatched', trackingRef }).expect(400);
      expect(Object.keys(body.errors)).toEqual(['trackingRef']);
    }
    const refusedReference = await change({ status: 'cancelled', trackingRef: 'RM1' }).expect(400);
    expect(refusedReference.body.errors.trackingRef).toEqual([
      'Give a tracking reference only when marking the order dispatched',
    ]);

    const { body: sent } = await change({ status: 'dispatched', trackingRef: '  RM123456789GB ' }).expect(
      200,
    );
    expect(sent).toMatchObject({ status: 'dispatched', trackingRef: 'RM123456789GB' });
    expect(sent.dispatchedById).toBe(setup.lead.id);
    expect(Date.parse(sent.dispatchedAt)).toBeGreaterThanOrEqual(Date.parse(sent.requestedAt));

    const otherLead = await t.signedIn(
      await t.newUser(['training_lead'], { organisationId: setup.organisationId }),
    );
    const { body: received } = await otherLead
      .patch(`/api/v1/print-orders/${id}`)
      .send({ status: 'received' })
      .expect(200);
    expect(received).toMatchObject({ status: 'received', trackingRef: 'RM123456789GB', cancelledAt: null });
    expect(received.receivedById).not.toBe(setup.lead.id);
    expect(received.receivedAt).not.toBeNull();

    expect(await auditOf('print_order.dispatched', id)).toEqual([
      expect.objectContaining({
        actorId: setup.lead.id,
        details: { from: 'requested', to: 'dispatched', trackingRef: 'RM123456789GB' },
      }),
    ]);
    expect(await auditOf('print_order.received', id)).toEqual([
      expect.objectContaining({
        actorId: received.receivedById,
        details: { from: 'dispatched', to: 'received' },
      }),
    ]);
  });

  it('refuses the changes the lifecycle does not allow (409), saying what the order can become', async () => {
    const id = await requested();
    const change = (status: string, trackingRef?: string) =>
      setup.leadAgent.patch(`/api/v1/print-orders/${id}`).send({ status, trackingRef });
    const refusal = async (status: string, message: string) => {
      const { body } = await change(status, status === 'dispatched' ? 'RM9' : undefined).expect(409);
      expect(body).toMatchObject({ code: 'PRINT_ORDER_STATUS_REFUSED', field: 'status' });
      expect(body.message).toContain(message);
      return body;
    };
    expect(
      await refusal('received', 'This order is requested: it can only become dispatched or cancelled'),
    ).toMatchObject({ details: { status: 'requested', canBecome: ['dispatched', 'cancelled'] } });
    await refusal('requested', 'it can only become dispatched or cancelled');
    await change('dispatched', 'RM1').expect(200);
    await refusal('cancelled', 'A dispatched parcel cannot be cancelled');
    await refusal('dispatched', 'This order is dispatched: it can only become received');
    await change('received').expect(200);
    await refusal('cancelled', 'This order is received: it cannot change any more');

    const other = await requested();
    const { body } = await setup.leadAgent
      .patch(`/api/v1/print-orders/${other}`)
      .send({ status: 'cancelled' })
      .expect(200);
    expect(body).toMatchObject({ status: 'cancelled', cancelledById: setup.lead.id });
    expect(await auditOf('print_order.cancelled', other)).toHaveLength(1);
    const late = await setup.leadAgent
      .patch(`/api/v1/print-orders/${other}`)
      .send({ status: 'dispatched', trackingRef: 'RM2' })
      .expect(409);
    expect(late.body.message).toBe('This order is cancelled: it cannot change any more.');
    await setup.leadAgent.patch(`/api/v1/print-orders/${other}`).send({ status: 'lost' }).expect(400);
  });

  it('lets only one of two leads acting on an order at once change it', async () => {
    const id = await requested();
    const answers = await Promise.all([
      setup.leadAgent.patch(`/api/v1/print-orders/${id}`).send({ status: 'dispatched', trackingRef: 'RM3' }),
      setup.leadAgent.patch(`/api/v1/print-orders/${id}`).send({ status: 'cancelled' }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const events = [
      ...(await auditOf('print_order.dispatched', id)),
      ...(await auditOf('print_order.cancelled', id)),
    ];
    expect(events).toHaveLength(1);
  });

  it('refuses leads of other organisations, facilitators and trainees (403), and an unknown order (404)', async () => {
    const id = await requested();
    const elsewhere = await t.newOrganisation();
    const otherLead = await t.signedIn(await t.newUser(['training_lead'], { organisationId: elsewhere.id }));
    await order(2, cohortId, otherLead).expect(403);
    await otherLead.patch(`/api/v1/print-orders/${id}`).send({ status: 'cancelled' }).expect(403);
    await otherLead.get(`/api/v1/cohorts/${cohortId}/print-orders`).expect(403);
    expect((await otherLead.get('/api/v1/print-orders').expect(200)).body).toEqual([]);
    for (const someone of [setup.facilitators[0], trainees[0]]) {
      const agent = await t.signedIn(someone);
      await order(2, cohortId, agent).expect(403);
      await agent.patch(`/api/v1/print-orders/${id}`).send({ status: 'cancelled' }).expect(403);
      await agent.get('/api/v1/print-orders').expect(403);
    }
    await setup.leadAgent.patch(`/api/v1/print-orders/${UNKNOWN}`).send({ status: 'cancelled' }).expect(404);
    const { body } = await setup.leadAgent.get(`/api/v1/cohorts/${cohortId}/print-orders`).expect(200);
    expect(body.find((o: { id: string }) => o.id === id).status).toBe('requested');
  });

  it('lists the organisation’s outstanding orders to its leads, and every organisation’s to an admin', async () => {
    const [waiting, sent, arrived] = [await requested(), await dispatched(), await dispatched()];
    await setup.leadAgent.patch(`/api/v1/print-orders/${arrived}`).send({ status: 'received' }).expect(200);
    const ids = async (agent: TestAgent, query: string) =>
      ((await agent.get(`/api/v1/print-orders${query}`).expect(200)).body as Array<{ id: string }>).map(
        (o) => o.id,
      );
    const outstanding = await ids(setup.leadAgent, '?status=outstanding');
    expect(outstanding).toEqual(expect.arrayContaining([waiting, sent]));
    expect(outstanding).not.toContain(arrived);
    expect(await ids(setup.leadAgent, '?status=received')).toContain(arrived);
    expect(await ids(setup.leadAgent, '?status=dispatched')).not.toContain(waiting);
    expect(await ids(setup.leadAgent, '')).toEqual(expect.arrayContaining([waiting, sent, arrived]));
    expect(await ids(admin, '?status=outstanding')).toEqual(expect.arrayContaining([waiting, sent]));
    const { body } = await setup.leadAgent.get('/api/v1/print-orders?status=lost').expect(400);
    expect(Object.keys(body.errors)).toEqual(['status']);
  });

  describe('a trainee’s receipt', () => {
    it('is confirmed by a trainee with a place once the copies are sent, the first time kept', async () => {
      const id = await requested();
      const trainee = await t.signedIn(trainees[0]);
      const early = await trainee.post(`/api/v1/print-orders/${id}/receipt`).expect(409);
      expect(early.body).toMatchObject({
        code: 'PRINT_ORDER_NOT_DISPATCHED',
        message: 'These copies have not been sent yet: confirm when yours reaches you',
      });
      await setup.leadAgent
        .patch(`/api/v1/print-orders/${id}`)
        .send({ status: 'dispatched', trackingRef: 'RM4' })
        .expect(200);
      const { body: first } = await trainee.post(`/api/v1/print-orders/${id}/receipt`).expect(200);
      expect(first).toMatchObject({ id, status: 'dispatched', material: { id: handbook.id } });
      expect(first.confirmedAt).not.toBeNull();
      await setup.leadAgent.patch(`/api/v1/print-orders/${id}`).send({ status: 'received' }).expect(200);
      const { body: again } = await trainee.post(`/api/v1/print-orders/${id}/receipt`).expect(200);
      expect(again.confirmedAt).toBe(first.confirmedAt);
      expect(await auditOf('print_order.receipt_confirmed', id)).toEqual([
        expect.objectContaining({ actorId: trainees[0].id }),
      ]);

      const { body: orders } = await setup.leadAgent
        .get(`/api/v1/cohorts/${cohortId}/print-orders`)
        .expect(200);
      expect(orders.find((o: { id: string }) => o.id === id).receipts).toEqual({ confirmed: 1, trainees: 2 });
      const { body: mine } = await trainee.get('/api/v1/me/print-orders').expect(200);
      expect(mine.find((o: { id: string }) => o.id === id)).toMatchObject({
        confirmedAt: first.confirmedAt,
        trackingRef: 'RM4',
        cohort: { id: cohortId },
      });
      const { body: theirs } = await (
        await t.signedIn(trainees[1])
      )
        .get('/api/v1/me/print-orders')
        .expect(200);
      expect(theirs.find((o: { id: string }) => o.id === id).confirmedAt).toBeNull();
      expect(theirs.every((o: { status: string }) => ['dispatched', 'received'].includes(o.status))).toBe(
        true,
      );
    });

    it('is refused to a trainee without a place on the cohort, waiting for one included (403), and for a cancelled order (409)', async () => {
      const id = await dispatched();
      const outsider = await t.newUser(['trainee']);
      const waiting = await t.newUser(['trainee']);
      await t.dataSource.query(
        `INSERT INTO enrolments (cohort_id, trainee_id, status, waitlist_position) VALUES ($1, $2, 'waitlisted', 1)`,
        [cohortId, waiting.id],
      );
      for (const trainee of [outsider, waiting]) {
        const agent = await t.signedIn(trainee);
        await agent.post(`/api/v1/print-orders/${id}/receipt`).expect(403);
        expect((await agent.get('/api/v1/me/print-orders').expect(200)).body).toEqual([]);
      }
      await (await t.signedIn(trainees[0])).post(`/api/v1/print-orders/${UNKNOWN}/receipt`).expect(404);
      await setup.leadAgent.post(`/api/v1/print-orders/${id}/receipt`).expect(403);

      const cancelled = await requested();
      await setup.leadAgent
        .patch(`/api/v1/print-orders/${cancelled}`)
        .send({ status: 'cancelled' })
        .expect(200);
      const { body } = await (
        await t.signedIn(trainees[0])
      )
        .post(`/api/v1/print-orders/${cancelled}/receipt`)
        .expect(409);
      expect(body.message).toBe('This order was cancelled: no copies were sent');
    });
  });

  describe('pages', () => {
    const cohortPage = () => `/cohorts/${cohortId}/print-orders`;

    it('orders from the cohort’s page: its course’s materials, as many copies as trainees, errors beside the fields', async () => {
      const page = await setup.leadAgent.get(cohortPage()).expect(200);
      expect(page.text).toContain('RPH handbook (RPH), 2nd edition (2014)');
      expect(page.text).not.toContain('FTM handbook');
      expect(page.text).toContain('Not listed until an administrator uploads an edition: WS handbook.');
      expect(page.text).toMatch(/id="copies" name="copies" type="text" value="2"/);
      expect(page.text).toContain('The cohort has 2 trainees with a place.');

      const back = await submit(
        setup.leadAgent,
        cohortPage(),
        { materialId: handbook.id, copies: '600' },
        cohortPage(),
      );
      expect(back).toBe(cohortPage());
      const refused = await setup.leadAgent.get(back).expect(200);
      expect(besideField(refused.text, 'copies')).toContain('Order from 1 to 500 copies, as a whole number');
      expect(refused.text).toMatch(/id="copies" name="copies" type="text" value="600"/);
      expect(refused.text).toMatch(new RegExp(`<option value="${handbook.id}" selected>`));

      await submit(setup.leadAgent, cohortPage(), { materialId: worksheet, copies: '2' }, cohortPage());
      const noEdition = await setup.leadAgent.get(cohortPage()).expect(200);
      expect(besideField(noEdition.text, 'materialId')).toContain('WS handbook has no edition yet');

      await submit(setup.leadAgent, cohortPage(), { materialId: handbook.id, copies: '7' }, cohortPage());
      const done = await setup.leadAgent.get(cohortPage()).expect(200);
      expect(done.text).toContain(`7 copies of RPH handbook for ${await cohortTitle()} have been requested.`);
      const [{ id }] = await t.dataSource.query(
        `SELECT id FROM print_orders WHERE copies = 7 AND cohort_id = $1`,
        [cohortId],
      );
      const row = rowOf(done.text, id);
      expect(row).toContain('govuk-tag--blue">Requested');
      expect(row).toContain(londonDay(new Date()));
      expect(row).toContain('Mark dispatched');
      expect(row).toContain('Cancel order');
    });

    it('follows orders on the outstanding list: dispatch with a tracking reference, receive, refusals beside the row', async () => {
      const id = await requested(5);
      const list = '/print-orders?status=outstanding';
      const page = await setup.leadAgent.get(list).expect(200);
      expect(rowOf(page.text, id)).toContain(
        `href="/cohorts/${cohortId}/print-orders">${await cohortTitle()}`,
      );

      const dispatch = (trackingRef: string) =>
        submit(
          setup.leadAgent,
          `/print-orders/${id}`,
          { status: 'dispatched', [`trackingRef-${id}`]: trackingRef, returnTo: list },
          list,
        );
      expect(await dispatch('  ')).toBe(list);
      const refused = await setup.leadAgent.get(list).expect(200);
      expect(besideField(refused.text, `trackingRef-${id}`)).toContain(
        'Enter the tracking reference of the parcel',
      );

      await dispatch('RM987654321GB');
      const sent = await setup.leadAgent.get(list).expect(200);
      expect(sent.text).toContain(
        `5 copies of RPH handbook for ${await cohortTitle()}: marked dispatched, tracking reference RM987654321GB.`,
      );
      const row = rowOf(sent.text, id);
      expect(row).toContain('govuk-tag--yellow">Dispatched');
      expect(row).toContain('RM987654321GB');
      expect(row).toContain('0 of 2 trainees');
      expect(row).not.toContain('Cancel order');

      // A cancel button from a page shown before the dispatch: the refusal is shown beside the order.
      await submit(setup.leadAgent, `/print-orders/${id}`, { status: 'cancelled', returnTo: list }, list);
      const late = await setup.leadAgent.get(list).expect(200);
      expect(besideField(late.text, `order-${id}`)).toContain('A dispatched parcel cannot be cancelled');

      await submit(setup.leadAgent, `/print-orders/${id}`, { status: 'received', returnTo: list }, list);
      const received = await setup.leadAgent.get('/print-orders?status=received').expect(200);
      expect(rowOf(received.text, id)).toContain('govuk-tag--green">Received');
      expect((await setup.leadAgent.get(list).expect(200)).text).not.toContain(`id="order-${id}"`);
    });

    it('lets a trainee confirm their copy from a page form, back where they came from on this site only', async () => {
      const id = await dispatched();
      const trainee = await t.signedIn(trainees[1]);
      const confirm = (returnTo?: string) =>
        submit(
          trainee,
          `/print-orders/${id}/receipt`,
          returnTo === undefined ? {} : { returnTo },
          '/my/courses',
        );
      expect(await confirm('/my/courses')).toBe('/my/courses');
      const page = await trainee.get('/my/courses').expect(200);
      expect(page.text).toContain(
        'Thank you: you have confirmed that your copy of RPH handbook reached you.',
      );
      expect(await confirm('https://elsewhere.example/phish')).toBe('/');
      expect(await confirm()).toBe('/my/materials');
      expect(await auditOf('print_order.receipt_confirmed', id)).toHaveLength(1);
    });

    it('shows the pages to the cohort’s leads only', async () => {
      const facilitator = await t.signedIn(setup.facilitators[0]);
      await facilitator.get('/print-orders').expect(403);
      await facilitator.get(cohortPage()).expect(403);
      const elsewhere = await t.newOrganisation();
      const otherLead = await t.signedIn(
        await t.newUser(['training_lead'], { organisationId: elsewhere.id }),
      );
      await otherLead.get(cohortPage()).expect(403);
      const list = await otherLead.get('/print-orders').expect(200);
      expect(list.text).toContain('No orders match this status.');
      const ownList = await setup.leadAgent.get('/print-orders').expect(200);
      expect(ownList.text).toContain(`href="/cohorts/${cohortId}/print-orders">${await cohortTitle()}<span`);
    });
  });

  async function cohortTitle(): Promise<string> {
    const [{ title }] = await t.dataSource.query(`SELECT title FROM cohorts WHERE id = $1`, [cohortId]);
    return title;
  }
});
