/**
 * An error the simulator answers with HTTP 500 and `<response responseStatus="failed">`, carrying
 * the reference's `status` code, a `description` and the offending `fields` (reference §3).
 * Descriptions never contain member e-mail addresses or names.
 */
export class SmartFocusFault extends Error {
  constructor(
    readonly status: string,
    readonly description: string,
    readonly fields: readonly string[] = [],
  ) {
    super(`${status}: ${description}`);
    this.name = 'SmartFocusFault';
  }

  static invalid(field: string, description: string): SmartFocusFault {
    return new SmartFocusFault('INVALID_PARAMETERS', description, [field]);
  }

  static notFound(kind: 'MESSAGE' | 'SEGMENT' | 'CAMPAIGN' | 'MEMBER_JOB', field: string, id: string): SmartFocusFault {
    return new SmartFocusFault(`${kind}_NOT_FOUND`, `No ${kind.toLowerCase().replace('_', ' ')} with id ${id}.`, [field]);
  }
}

/** Thrown after the socket was destroyed on purpose (a dropped-connection fault): nothing to answer. */
export class DroppedConnection extends Error {
  constructor() {
    super('connection dropped by a fault');
    this.name = 'DroppedConnection';
  }
}
