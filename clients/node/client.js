'use strict';
// A small Node.js client of the usage-events gRPC API (usage.v1), built from the service's own proto file.
//
//   const { connect } = require('./client');
//   const usage = connect({ address: 'localhost:8080', clientId, clientSecret });
//   const { result } = await usage.ingestEvent({ event: { customerId: 'acme', eventName: 'api-call' } });

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');
const googleProtoFiles = require('google-proto-files');

/** The directory holding usage/v1/*.proto: the proto module of this repository, the one contract. */
const PROTO_ROOT = path.resolve(__dirname, '../../proto/src/main/proto');
/** The directory holding google/rpc/*.proto (the rich error details). */
const GOOGLE_PROTO_ROOT = path.resolve(googleProtoFiles.getProtoPath(), '..');

const packageDefinition = protoLoader.loadSync(['usage/v1/usage_events.proto', 'usage/v1/usage_meters.proto'], {
  includeDirs: [PROTO_ROOT],
  keepCase: false, // customer_id is customerId in JavaScript
  longs: String, // int64 values (total, batchSequence) arrive as strings
  enums: String, // 'OUTCOME_CREATED', 'SUPERSEDE_RULE_FIRST_WINS', ...
  defaults: true,
  oneofs: true,
});
const usageV1 = grpc.loadPackageDefinition(packageDefinition).usage.v1;

const errorDetails = new protobuf.Root();
errorDetails.resolvePath = (origin, target) =>
  target.startsWith('google/protobuf/') ? target : path.join(GOOGLE_PROTO_ROOT, target);
errorDetails.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: false });
const RpcStatus = errorDetails.lookupType('google.rpc.Status');

/** The metadata that carries an account's Sequence credentials. */
function basicCredentials(clientId, clientSecret) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64'));
  return metadata;
}

/**
 * A connection to the service at `address` (host:port, plain text) with an account's credentials. The unary
 * methods return promises; streamEvents() returns the grpc-js duplex call.
 */
function connect({ address, clientId, clientSecret, credentials = grpc.credentials.createInsecure() }) {
  const stub = new usageV1.UsageEventsService(address, credentials);
  const meters = new usageV1.UsageMetersService(address, credentials);
  const metadata = () => basicCredentials(clientId, clientSecret);
  const unary = (method, service = stub) => (request, options = {}) =>
    new Promise((resolve, reject) => {
      service[method](request, metadata(), options, (err, response) => (err ? reject(err) : resolve(response)));
    });
  return {
    ingestEvent: unary('ingestEvent'),
    ingestEvents: unary('ingestEvents'),
    getEvent: unary('getEvent'),
    listEvents: unary('listEvents'),
    /** Supersedes each event (by its client event id) with a copy for the customer VOID: it counts in no meter. */
    voidEvents: unary('voidEvents'),
    /** A bidirectional stream: write({ batchId, events, supersedeRule }), read acknowledgements with on('data'). */
    streamEvents: (options = {}) => stub.streamEvents(metadata(), options),
    // usage.v1.UsageMetersService: meter values arrive as exact decimal strings ('2.25').
    createMeter: unary('createMeter', meters),
    getMeter: unary('getMeter', meters),
    listMeters: unary('listMeters', meters),
    updateMeter: unary('updateMeter', meters),
    deleteMeter: unary('deleteMeter', meters),
    queryMeter: unary('queryMeter', meters),
    close: () => {
      stub.close();
      meters.close();
    },
  };
}

/** A JavaScript Date (or ISO string) as a google.protobuf.Timestamp. */
function timestamp(date) {
  const millis = new Date(date).getTime();
  return { seconds: String(Math.floor(millis / 1000)), nanos: (millis % 1000) * 1e6 };
}

/** A google.protobuf.Timestamp as an ISO string. */
function isoTime(ts) {
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6)).toISOString();
}

/** A plain JSON object as a google.protobuf.Struct. */
function toStruct(object) {
  const fields = {};
  for (const [key, value] of Object.entries(object)) {
    fields[key] = toValue(value);
  }
  return { fields };
}

function toValue(value) {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  if (Array.isArray(value)) return { listValue: { values: value.map(toValue) } };
  switch (typeof value) {
    case 'number':
      return { numberValue: value };
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'object':
      return { structValue: toStruct(value) };
    default:
      throw new TypeError(`not a JSON value: ${typeof value}`);
  }
}

/** A google.protobuf.Struct as a plain JSON object. */
function fromStruct(struct) {
  const object = {};
  for (const [key, value] of Object.entries((struct && struct.fields) || {})) {
    object[key] = fromValue(value);
  }
  return object;
}

function fromValue(value) {
  switch (value.kind) {
    case 'nullValue':
      return null;
    case 'numberValue':
      return value.numberValue;
    case 'stringValue':
      return value.stringValue;
    case 'boolValue':
      return value.boolValue;
    case 'structValue':
      return fromStruct(value.structValue);
    case 'listValue':
      return value.listValue.values.map(fromValue);
    default:
      return undefined;
  }
}

/**
 * The rich details of a failed call: { code, message, fieldViolations: [{ field, description }], errorInfo,
 * resourceInfo }, decoded from the grpc-status-details-bin trailer (google.rpc.Status).
 */
function statusDetails(err) {
  const result = { code: err.code, message: err.details, fieldViolations: [], errorInfo: null, resourceInfo: null };
  const [raw] = (err.metadata && err.metadata.get('grpc-status-details-bin')) || [];
  if (!raw) return result;
  const status = RpcStatus.decode(raw);
  result.message = status.message;
  for (const any of status.details) {
    const typeUrl = any.type_url || any.typeUrl; // google.protobuf.Any as protobufjs defines it: type_url
    const typeName = typeUrl.substring(typeUrl.lastIndexOf('/') + 1);
    const detail = errorDetails.lookupType(typeName).decode(any.value);
    if (typeName === 'google.rpc.BadRequest') result.fieldViolations.push(...detail.fieldViolations);
    if (typeName === 'google.rpc.ErrorInfo') result.errorInfo = detail;
    if (typeName === 'google.rpc.ResourceInfo') result.resourceInfo = detail;
  }
  return result;
}

module.exports = {
  connect,
  basicCredentials,
  timestamp,
  isoTime,
  toStruct,
  fromStruct,
  statusDetails,
  status: grpc.status,
};
