/** Dead-letter headers: where the message came from and why it was set aside. */
export const DLQ_HEADERS = Object.freeze({
  topic: 'k1s0-original-topic',
  partition: 'k1s0-original-partition',
  offset: 'k1s0-original-offset',
  error: 'k1s0-error',
  reason: 'k1s0-dead-letter-reason',
  attempts: 'k1s0-attempts',
});
