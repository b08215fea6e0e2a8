'use strict';
// Every usage.v1 RPC and its error codes, from Node.js, against a running service:
//   USAGE_GRPC_ADDRESS=localhost:8080 USAGE_CLIENT_ID=... USAGE_CLIENT_SECRET=... npm test

const test = require('node:test');
const assert = require('node:assert/strict');
const { once } = require('node:events');
const { randomUUID } = require('node:crypto');
const { connect, timestamp, isoTime, toStruct, fromStruct, statusDetails, status } = require('../client');

const address = required('USAGE_GRPC_ADDRESS');
const clientId = required('USAGE_CLIENT_ID');
const clientSecret = required('USAGE_CLIENT_SECRET');
const usage = connect({ address, clientId, clientSecret });
const run = randomUUID().slice(0, 8);

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (USAGE_GRPC_ADDRESS=host:port, USAGE_CLIENT_ID, USAGE_CLIENT_SECRET)`);
  }
  return value;
}

/** A customer id of this run only, so that lists see nothing of other runs. */
function customer(name) {
  return `${run}-${name}`;
}

function event(customerId, eventId, eventName, at, properties) {
  const e = { customerId, eventName, timestamp: timestamp(at) };
  if (eventId !== undefined) e.eventId = eventId;
  if (properties !== undefined) e.properties = toStruct(properties);
  return e;
}

/** Runs a call that must fail with `code`; returns its decoded status details. */
async function failure(code, call) {
  try {
    await call();
  } catch (err) {
    assert.equal(err.code, code, `expected status ${code}, got ${err.code}: ${err.details}`);
    return statusDetails(err);
  }
  assert.fail(`the call should have failed with status ${code}`);
}

test.after(() => usage.close());

test('IngestEvent stores one event and answers with the stored version', async () => {
  const cust = customer('one');
  const { result } = await usage.ingestEvent({
    event: event(cust, 'evt-1', 'message-sent', '2024-05-01T10:15:30.123Z', { count: 500, ratio: 0.25, plan: 'pro' }),
  });
  assert.equal(result.outcome, 'OUTCOME_CREATED');
  assert.match(result.event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(result.event.customerId, cust);
  assert.equal(result.event.eventId, 'evt-1');
  assert.equal(result.event.source, 'SOURCE_GRPC');
  assert.equal(isoTime(result.event.timestamp), '2024-05-01T10:15:30.123Z');
  assert.deepEqual(fromStruct(result.event.properties), { count: 500, ratio: 0.25, plan: 'pro' });
});

test('IngestEvents answers one result per event and a retry is a replay', async () => {
  const cust = customer('batch');
  const events = [
    event(cust, `${run}-a`, 'api-call', '2024-05-01T10:00:00Z'),
    event(cust, `${run}-b`, 'api-call', '2024-05-01T10:00:01Z'),
    event(cust, `${run}-c`, 'storage', '2024-05-01T10:00:02Z', { gb: 3 }),
  ];
  const first = await usage.ingestEvents({ events });
  assert.deepEqual(first.results.map((r) => r.outcome), ['OUTCOME_CREATED', 'OUTCOME_CREATED', 'OUTCOME_CREATED']);
  const retry = await usage.ingestEvents({ events });
  assert.deepEqual(retry.results.map((r) => r.outcome), ['OUTCOME_REPLAY', 'OUTCOME_REPLAY', 'OUTCOME_REPLAY']);
  assert.deepEqual(retry.results.map((r) => r.event.id), first.results.map((r) => r.event.id));
});

test('the last event wins by default, the first when the request asks', async () => {
  const cust = customer('supersede');
  const key = `${run}-seats`;
  const v1 = await usage.ingestEvent({ event: event(cust, key, 'seats', '2024-05-01T10:00:00Z', { seats: 1 }) });
  const v2 = await usage.ingestEvent({ event: event(cust, key, 'seats', '2024-05-01T10:00:00Z', { seats: 2 }) });
  assert.equal(v2.result.outcome, 'OUTCOME_SUPERSEDED_PREVIOUS');
  assert.equal(v2.result.supersededId, v1.result.event.id);

  const v3 = await usage.ingestEvent({
    event: event(cust, key, 'seats', '2024-05-01T10:00:00Z', { seats: 3 }),
    supersedeRule: 'SUPERSEDE_RULE_FIRST_WINS',
  });
  assert.equal(v3.result.outcome, 'OUTCOME_DUPLICATE_IGNORED');
  assert.equal(v3.result.event.id, v2.result.event.id);

  const replaced = await usage.getEvent({ id: v1.result.event.id });
  assert.equal(replaced.supersededBy, v2.result.event.id);
  const current = await usage.listEvents({ eventId: key });
  assert.equal(current.total, '1');
  assert.deepEqual(fromStruct(current.events[0].properties), { seats: 2 });
});

test('StreamEvents acknowledges each batch after its commit, in order', async () => {
  const cust = customer('stream');
  const call = usage.streamEvents();
  const acks = [];
  const ended = new Promise((resolve, reject) => {
    call.on('data', (ack) => acks.push(ack));
    call.on('error', reject);
    call.on('end', resolve);
  });
  const batches = 5;
  for (let b = 0; b < batches; b++) {
    const events = [];
    for (let i = 0; i < 20; i++) {
      events.push(event(cust, `${run}-s${b}-${i}`, 'api-call', '2024-05-01T10:00:00Z', { batch: b }));
    }
    // Flow control: write() returns false while the server is not reading; wait for 'drain' before the next batch.
    if (!call.write({ batchId: `b${b}`, events })) {
      await once(call, 'drain');
    }
  }
  call.end();
  await ended;

  assert.deepEqual(acks.map((a) => a.batchId), ['b0', 'b1', 'b2', 'b3', 'b4']);
  assert.deepEqual(acks.map((a) => a.batchSequence), ['0', '1', '2', '3', '4']);
  for (const ack of acks) {
    assert.equal(ack.results.length, 20);
    const stored = await usage.getEvent({ id: ack.results[0].event.id });
    assert.equal(stored.id, ack.results[0].event.id);
  }
  const listed = await usage.listEvents({ customerId: cust, limit: 1 });
  assert.equal(listed.total, String(batches * 20));
});

test('StreamEvents ends with INVALID_ARGUMENT at a bad batch, after committing those before it', async () => {
  const cust = customer('stream-bad');
  const call = usage.streamEvents();
  const acks = [];
  call.on('data', (ack) => acks.push(ack));
  const ended = new Promise((resolve) => call.on('error', resolve));
  call.write({ batchId: 'good', events: [event(cust, `${run}-g`, 'api-call', '2024-05-01T10:00:00Z')] });
  call.write({ batchId: 'bad', events: [event('', `${run}-x`, 'api-call', '2024-05-01T10:00:00Z')] });
  call.end();

  const details = statusDetails(await ended);
  assert.equal(details.code, status.INVALID_ARGUMENT);
  assert.deepEqual(details.fieldViolations.map((v) => v.field), ['events[0].customer_id']);
  assert.equal(details.errorInfo.metadata.batch_id, 'bad');
  assert.deepEqual(acks.map((a) => a.batchId), ['good']);
  assert.equal((await usage.listEvents({ customerId: cust })).total, '1');
});

test('GetEvent reads an event by id; an unknown id is NOT_FOUND', async () => {
  const { result } = await usage.ingestEvent({ event: event(customer('get'), undefined, 'api-call', new Date()) });
  const got = await usage.getEvent({ id: result.event.id });
  assert.deepEqual(got, result.event);

  const details = await failure(status.NOT_FOUND, () => usage.getEvent({ id: '0190a8e0-0000-7000-8000-000000000000' }));
  assert.equal(details.resourceInfo.resourceName, '0190a8e0-0000-7000-8000-000000000000');
});

test('ListEvents filters and pages with cursors both ways', async () => {
  const cust = customer('list');
  const events = [];
  for (let i = 0; i < 5; i++) {
    events.push(event(cust, `${run}-l${i}`, i % 2 ? 'storage' : 'api-call', `2024-05-01T10:0${i}:00Z`));
  }
  await usage.ingestEvents({ events });

  const first = await usage.listEvents({ customerId: cust, limit: 2 });
  assert.deepEqual(first.events.map((e) => e.eventId), [`${run}-l4`, `${run}-l3`]);
  assert.equal(first.total, '5');
  assert.equal(first.previousCursor, '');
  const second = await usage.listEvents({ customerId: cust, limit: 2, after: first.nextCursor });
  assert.deepEqual(second.events.map((e) => e.eventId), [`${run}-l2`, `${run}-l1`]);
  const back = await usage.listEvents({ customerId: cust, limit: 2, before: second.previousCursor });
  assert.deepEqual(back.events.map((e) => e.eventId), [`${run}-l4`, `${run}-l3`]);

  const ascending = await usage.listEvents({ customerId: cust, sortOrder: 'SORT_ORDER_ASC', eventName: 'storage' });
  assert.deepEqual(ascending.events.map((e) => e.eventId), [`${run}-l1`, `${run}-l3`]);
  const range = await usage.listEvents({
    customerId: cust,
    startTime: timestamp('2024-05-01T10:01:00Z'),
    endTime: timestamp('2024-05-01T10:02:00Z'),
  });
  assert.deepEqual(range.events.map((e) => e.eventId), [`${run}-l2`, `${run}-l1`]);
});

test('bad input is INVALID_ARGUMENT naming the field and its index; nothing is stored', async () => {
  const cust = customer('invalid');
  const batch = await failure(status.INVALID_ARGUMENT, () =>
    usage.ingestEvents({
      events: [
        event(cust, `${run}-ok`, 'api-call', '2024-05-01T10:00:00Z'),
        event('', `${run}-no-customer`, 'api-call', '2024-05-01T10:00:00Z'),
        event(cust, `${run}-nan`, 'api-call', '2024-05-01T10:00:00Z', { ratio: NaN }),
      ],
    }),
  );
  assert.deepEqual(batch.fieldViolations.map((v) => v.field).sort(), [
    'events[1].customer_id',
    'events[2].properties.ratio',
  ]);
  assert.equal((await usage.listEvents({ customerId: cust })).total, '0');

  const limit = await failure(status.INVALID_ARGUMENT, () => usage.listEvents({ limit: 0 }));
  assert.deepEqual(limit.fieldViolations.map((v) => v.field), ['limit']);
  const cursor = await failure(status.INVALID_ARGUMENT, () => usage.listEvents({ after: 'not-a-cursor' }));
  assert.deepEqual(cursor.fieldViolations.map((v) => v.field), ['after']);
  const id = await failure(status.INVALID_ARGUMENT, () => usage.getEvent({ id: 'nope' }));
  assert.deepEqual(id.fieldViolations.map((v) => v.field), ['id']);
});

test('calls without valid credentials are UNAUTHENTICATED', async () => {
  const stranger = connect({ address, clientId, clientSecret: 'wrong-secret' });
  try {
    const details = await failure(status.UNAUTHENTICATED, () => stranger.listEvents({}));
    // grpc-js shows the status message as the server sent it: the spec percent-encodes neither ':' nor spaces
    assert.match(details.message, /'authorization: Basic base64\(clientId:clientSecret\)'/);
    await failure(status.UNAUTHENTICATED, () => stranger.getEvent({ id: '0190a8e0-0000-7000-8000-000000000000' }));
  } finally {
    stranger.close();
  }
});
