/**
 * True when an error says the database could not be used at all (unreachable, connection lost,
 * pool exhausted, server shutting down) rather than that the handler's work failed. Such an error
 * is not an attempt of the event: the consumer holds the event until the database is back.
 */
export function isInfrastructureError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 4; depth += 1) {
    const { code, message, driverError, cause } = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && (INFRASTRUCTURE_CODES.has(code) || /^(08|53|57P0)/.test(code))) return true;
    if (typeof message === 'string' && INFRASTRUCTURE_MESSAGES.test(message)) return true;
    current = driverError ?? cause;
  }
  return false;
}

const INFRASTRUCTURE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

const INFRASTRUCTURE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|connection is not open|Cannot use a pool after calling end|the database system is (starting up|shutting down)/i;

/** The largest prefetch the database pool can serve, keeping two connections for the relay and HTTP. */
export function effectivePrefetch(prefetch: number, poolSize: number): number {
  return Math.max(1, Math.min(prefetch, poolSize - 2));
}
