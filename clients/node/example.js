'use strict';
// Ingest one event, stream two batches, list the customer's events, then define a meter and read it:
//   USAGE_GRPC_ADDRESS=localhost:8080 USAGE_CLIENT_ID=... USAGE_CLIENT_SECRET=... node example.js

const { once } = require('node:events');
const { connect, timestamp, isoTime, toStruct, fromStruct, statusDetails } = require('./client');

async function main() {
  const usage = connect({
    address: process.env.USAGE_GRPC_ADDRESS || 'localhost:8080',
    clientId: process.env.USAGE_CLIENT_ID,
    clientSecret: process.env.USAGE_CLIENT_SECRET,
  });
  try {
    const { result } = await usage.ingestEvent({
      event: {
        customerId: 'acme',
        eventId: 'invoice-42-line-1',
        eventName: 'message-sent',
        timestamp: timestamp(new Date()),
        properties: toStruct({ count: 500, channel: 'sms' }),
      },
    });
    console.log(`IngestEvent: ${result.outcome} ${result.event.id}`);

    const stream = usage.streamEvents();
    stream.on('data', (ack) => console.log(`StreamEvents: batch ${ack.batchId} committed (${ack.results.length} events)`));
    const done = once(stream, 'end');
    for (const batchId of ['morning', 'evening']) {
      const events = [{ customerId: 'acme', eventName: 'api-call', eventId: `calls-${batchId}` }];
      if (!stream.write({ batchId, events })) await once(stream, 'drain');
    }
    stream.end();
    await done;

    const page = await usage.listEvents({ customerId: 'acme', limit: 10 });
    console.log(`ListEvents: ${page.total} events for acme`);
    for (const e of page.events) console.log(`  ${e.eventName} ${e.eventId} ${JSON.stringify(fromStruct(e.properties))}`);

    // A meter: the sum of the 'count' property of acme's message-sent events, per UTC day, the last seven days.
    const meterName = `messages-${Date.now()}`;
    const meter = await usage.createMeter({
      meter: { name: meterName, eventName: 'message-sent', aggregation: 'SUM', valueProperty: 'count' },
    });
    const now = new Date();
    const { rows, ignoredEventCount } = await usage.queryMeter({
      id: meter.id,
      from: timestamp(new Date(now.getTime() - 6 * 86400000).toISOString().slice(0, 10) + 'T00:00:00Z'),
      to: timestamp(new Date(now.getTime() + 86400000).toISOString().slice(0, 10) + 'T00:00:00Z'),
      windowSize: 'DAY',
      timeZone: 'UTC',
      customerIds: ['acme'],
    });
    console.log(`QueryMeter ${meterName}: ${rows.length} windows, ${ignoredEventCount} events ignored`);
    for (const row of rows) console.log(`  ${isoTime(row.windowStart)} ${row.value} (${row.eventCount} events)`);

    await usage.ingestEvent({ event: { customerId: '', eventName: 'api-call' } }).catch((err) => {
      const { code, fieldViolations } = statusDetails(err);
      console.log(`A bad event: status ${code}, ${fieldViolations.map((v) => `${v.field}: ${v.description}`).join('; ')}`);
    });
  } finally {
    usage.close();
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
