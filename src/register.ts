// Zero-code registration entry (`node --import otel-stateful-logs/register app.js`).
// Filled in by the SDK-integration work.
export {};
