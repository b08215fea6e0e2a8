'use strict';
// usage.v1.UsageMetersService and UsageEventsService.VoidEvents from Node.js, against a running service:
//   USAGE_GRPC_ADDRESS=localhost:8080 USAGE_CLIENT_ID=... USAGE_CLIENT_SECRET=... npm test

const test = require('node:test');
const assert = require('node:assert/strict');
const { randomUUID } = require('node:crypto');
const { connect, timestamp, isoTime, toStruct, statusDetails, status } = require('../client');

const usage = connect({
  address: process.env.USAGE_GRPC_ADDRESS,
  clientId: process.env.USAGE_CLIENT_ID,
  clientSecret: process.env.USAGE_CLIENT_SECRET,
});
const run = randomUUID().slice(0, 8);

async function failure(code, call) {
  try {
    await call();
  } catch (err) {
    assert.equal(err.code, code, `expected status ${code}, got ${err.code}: ${err.details}`);
    return statusDetails(err);
  }
  assert.fail(`the call should have failed with status ${code}`);
}

function sumOfTokens(name) {
  return { name: `${run}-${name}`, eventName: `${run}-llm-call`, aggregation: 'SUM', valueProperty: 'usage.tokens' };
}

test.after(() => usage.close());

test('a meter is created, read, listed, replaced and deleted', async () => {
  const meter = await usage.createMeter({ meter: sumOfTokens('crud') });
  assert.match(meter.id, /^[0-9a-f-]{36}$/);
  assert.equal(meter.definition.aggregation, 'SUM');
  assert.equal(meter.definition.valueProperty, 'usage.tokens');
  assert.deepEqual(await usage.getMeter({ id: meter.id }), meter);
  const page = await usage.listMeters({ name: `${run}-crud` });
  assert.deepEqual(page.meters.map((m) => m.id), [meter.id]);

  const replaced = await usage.updateMeter({
    id: meter.id,
    meter: { name: `${run}-crud`, eventName: `${run}-llm-call`, aggregation: 'COUNT' },
  });
  assert.equal(replaced.definition.aggregation, 'COUNT');

  const deleted = await usage.deleteMeter({ id: meter.id });
  assert.ok(deleted.deleteTime);
  const details = await failure(status.NOT_FOUND, () => usage.getMeter({ id: meter.id }));
  assert.equal(details.resourceInfo.resourceType, 'usage.v1.Meter');
});

test('bad definitions and queries are INVALID_ARGUMENT naming the field', async () => {
  let details = await failure(status.INVALID_ARGUMENT, () =>
    usage.createMeter({ meter: { name: `${run}-bad`, eventName: 'x', aggregation: 'COUNT', valueProperty: 'a' } }));
  assert.ok(details.fieldViolations.some((v) => v.field === 'meter.value_property'), JSON.stringify(details));
  details = await failure(status.INVALID_ARGUMENT, () =>
    usage.createMeter({ meter: { name: `${run}-bad`, eventName: 'x', aggregation: 'MEDIAN', valueProperty: 'a' } }));
  assert.ok(details.fieldViolations.some((v) => v.field === 'meter.aggregation'));

  const meter = await usage.createMeter({ meter: sumOfTokens('queries') });
  await failure(status.ALREADY_EXISTS, () => usage.createMeter({ meter: sumOfTokens('queries') }));
  details = await failure(status.INVALID_ARGUMENT, () => usage.queryMeter({
    id: meter.id, from: timestamp('2024-01-01T00:00:00Z'), to: timestamp('2024-01-02T00:00:00Z'),
    timeZone: 'Mars/Olympus',
  }));
  assert.ok(details.fieldViolations.some((v) => v.field === 'time_zone'));
});

test('QueryMeter sums exactly per window; a void removes an event, as_of still sees it', async () => {
  const meter = await usage.createMeter({ meter: sumOfTokens('sum') });
  const customerId = `${run}-acme`;
  const eventName = `${run}-llm-call`;
  await usage.ingestEvents({
    events: [
      { customerId, eventName, eventId: `${run}-a`, timestamp: timestamp('2024-05-01T10:00:00Z'),
        properties: toStruct({ usage: { tokens: 0.1 } }) },
      { customerId, eventName, eventId: `${run}-b`, timestamp: timestamp('2024-05-01T11:00:00Z'),
        properties: toStruct({ usage: { tokens: 0.2 } }) },
      { customerId, eventName, eventId: `${run}-c`, timestamp: timestamp('2024-05-02T09:00:00Z'),
        properties: toStruct({ usage: { tokens: 'many' } }) },
    ],
  });
  const query = {
    id: meter.id, from: timestamp('2024-05-01T00:00:00Z'), to: timestamp('2024-05-03T00:00:00Z'),
    windowSize: 'DAY', customerIds: [customerId], groupByCustomer: true,
  };

  let answer = await usage.queryMeter(query);
  assert.deepEqual(answer.rows.map((r) => [isoTime(r.windowStart), r.customerId, r.value, r.eventCount]), [
    ['2024-05-01T00:00:00.000Z', customerId, '0.3', '2'],
    ['2024-05-02T00:00:00.000Z', customerId, '0', '0'],
  ]);
  assert.equal(answer.ignoredEventCount, '1');

  await new Promise((resolve) => setTimeout(resolve, 10));
  const beforeVoid = new Date();
  await new Promise((resolve) => setTimeout(resolve, 10));
  const { results } = await usage.voidEvents({ eventIds: [`${run}-b`] });
  assert.equal(results[0].event.customerId, 'VOID');

  answer = await usage.queryMeter(query);
  assert.equal(answer.rows[0].value, '0.1');
  answer = await usage.queryMeter({ ...query, asOf: timestamp(beforeVoid) });
  assert.equal(answer.rows[0].value, '0.3');
});
