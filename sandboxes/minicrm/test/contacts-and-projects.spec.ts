import { useSandbox } from './harness';

const harness = useSandbox();

describe('MiniCRM contacts', () => {
  it('creates a person, finds it by e-mail (the natural key) and reads it back', async () => {
    const created = await harness.call('/Api/R3/Contact', {
      method: 'PUT',
      body: { Type: 'Person', FirstName: 'Anna', LastName: 'Nagy', Email: 'anna.nagy@example.hu', Phone: '+36 30 123 4567' },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ Id: expect.any(Number) });
    const found = await harness.call('/Api/R3/Contact?Email=Anna.Nagy@example.hu');
    expect(found.body).toEqual({
      Count: 1,
      Results: {
        [created.body.Id]: {
          Id: created.body.Id,
          Name: 'Anna Nagy',
          Url: expect.stringMatching(new RegExp(`/Api/R3/Contact/${created.body.Id}$`)),
          Type: 'Person',
          Email: 'anna.nagy@example.hu',
          Phone: '+36 30 123 4567',
        },
      },
    });
    const detail = await harness.call(`/Api/R3/Contact/${created.body.Id}`);
    expect(detail.body).toMatchObject({ FirstName: 'Anna', LastName: 'Nagy', Deleted: 0, CreatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) });
    expect((await harness.call('/Api/R3/Contact?Email=nobody@example.hu')).body).toEqual({ Count: 0, Results: [] });
  });

  it('refuses invalid contacts and unknown search parameters with plain-text 400', async () => {
    const noName = await harness.call('/Api/R3/Contact', { method: 'PUT', body: { Type: 'Person', Email: 'x@example.hu' } });
    expect([noName.status, noName.text]).toEqual([400, 'Contact (PUT): FirstName or LastName is required.']);
    const unknown = await harness.call('/Api/R3/Contact?Colour=red');
    expect([unknown.status, unknown.text]).toEqual([400, 'Unknown parameter: Colour']);
    expect((await harness.call('/Api/R3/Contact/424242')).status).toBe(404);
  });

  it('pages 100 per 0-based Page with the total Count', async () => {
    await harness.sandbox.control.seed({
      contacts: Array.from({ length: 230 }, (_, n) => ({ SystemId: 12345, Type: 'Person', FirstName: `Vevő${n}`, LastName: 'Teszt' })),
    });
    const pages = await Promise.all([0, 1, 2, 3].map((page) => harness.call(`/Api/R3/Contact?Name=teszt&Page=${page}`)));
    expect(pages.map((page) => [page.body.Count, Object.keys(page.body.Results).length])).toEqual([
      [230, 100],
      [230, 100],
      [230, 30],
      [230, 0],
    ]);
    expect((await harness.call('/Api/R3/Contact?Page=first')).status).toBe(400);
  });
});

describe('MiniCRM data sheets (projects)', () => {
  it('creates a Webshop data sheet with a status given by name, finds it by ReferenceId, shows labels in detail', async () => {
    const { webshop } = await harness.categories();
    const contact = (await harness.call('/Api/R3/Contact', { method: 'PUT', body: { Type: 'Person', FirstName: 'Bence', LastName: 'Tóth' } })).body.Id;
    const created = await harness.call('/Api/R3/Project', {
      method: 'PUT',
      body: { CategoryId: webshop, ContactId: contact, Name: 'Tóth Bence', StatusId: 'Vásárló', ReferenceId: 'SR-CUST-7' },
    });
    expect(created.status).toBe(200);
    const found = await harness.call('/Api/R3/Project?ReferenceId=SR-CUST-7');
    expect(found.body.Count).toBe(1);
    expect(found.body.Results[created.body.Id]).toMatchObject({ Id: created.body.Id, ContactId: contact, StatusId: expect.any(Number), UserId: expect.any(Number) });
    const detail = (await harness.call(`/Api/R3/Project/${created.body.Id}`)).body;
    expect(detail).toMatchObject({ CategoryId: webshop, StatusId: 'Vásárló', UserId: 'Admin Anna', ReferenceId: 'SR-CUST-7', Deleted: 0 });
    const byName = await harness.call(`/Api/R3/Project?CategoryId=${webshop}&Name=t%C3%B3th`);
    expect(Object.keys(byName.body.Results)).toEqual([String(created.body.Id)]);
    const state = await harness.sandbox.control.records<{ Id: number; ReferenceId: string; SystemId: number }>('projects');
    expect(state.find((project) => project.Id === created.body.Id)).toMatchObject({ ReferenceId: 'SR-CUST-7', SystemId: 12345 });
  });

  it('refuses a status of another category and unknown fields with plain-text 400', async () => {
    const { webshop } = await harness.categories();
    const wrongStatus = await harness.call('/Api/R3/Project', { method: 'PUT', body: { CategoryId: webshop, ContactId: 1, StatusId: 'Megnyert' } });
    expect([wrongStatus.status, wrongStatus.text]).toEqual([400, "Project (PUT): Invalid value 'Megnyert' for the Status field."]);
    const unknown = await harness.call('/Api/R3/Project', { method: 'PUT', body: { CategoryId: webshop, ContactId: 1, Text9999: 'x' } });
    expect([unknown.status, unknown.text]).toEqual([400, 'Project (PUT): Unknown field: Text9999']);
  });

  it('moves UpdatedAt on a status change, so UpdatedSince returns only the changed sheet', async () => {
    const { webshop } = await harness.categories();
    const ids = [];
    for (const name of ['A', 'B']) {
      ids.push((await harness.call('/Api/R3/Project', { method: 'PUT', body: { CategoryId: webshop, ContactId: 1, Name: name } })).body.Id);
    }
    await harness.sandbox.control.advanceClock(120_000);
    const since = (await harness.sandbox.control.health()).now;
    await harness.call(`/Api/R3/Project/${ids[1]}`, { method: 'PUT', body: { StatusId: 'Törzsvásárló' } });
    const cursor = new Date(since).toLocaleString('sv-SE', { timeZone: 'Europe/Budapest' });
    const changed = await harness.call(`/Api/R3/Project?CategoryId=${webshop}&UpdatedSince=${encodeURIComponent(cursor)}`);
    expect(Object.keys(changed.body.Results)).toEqual([String(ids[1])]);
    const success = await harness.call(`/Api/R3/Project?CategoryId=${webshop}&StatusGroup=Success`);
    expect(Object.keys(success.body.Results)).toEqual([String(ids[1])]);
  });
});
