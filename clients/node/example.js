'use strict';
// Ingest one event, stream two batches, then list the customer's events:
//   USAGE_GRPC_ADDRESS=localhost:8080 USAGE_CLIENT_ID=... USAGE_CLIENT_SECRET=... node example.js

const { once } = require('node:events');
const { connect, timestamp, toStruct, fromStruct, statusDetails } = require('./client');

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
