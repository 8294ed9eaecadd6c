/** Faults of one operation (or of all, under `*`). */
export type OperationFaults = {
  /** Probability (0..1) of an HTTP 500 INTERNAL_ERROR instead of the answer. */
  errorRate: number;
  /** Probability (0..1) that the connection is dropped without an answer. */
  dropRate: number;
  /** The next N calls fail with HTTP 500 INTERNAL_ERROR (deterministic, for tests). */
  failNext: number;
  /** The next N calls have their connection dropped. */
  dropNext: number;
  /** Delay added to this operation's calls, in milliseconds (on top of the global latency). */
  latencyMs?: number;
};

export type FaultSettings = {
  /** Delay added to every SmartFocus call, in milliseconds. */
  latencyMs: number;
  /** Overrides SIMULATOR_SESSION_CALL_CAP when set (0 = no cap). */
  sessionCallCap: number | null;
  /** Keyed by operation name (e.g. `campaign/post`) or `*`. */
  operations: Record<string, OperationFaults>;
};

export const NO_FAULTS: FaultSettings = { latencyMs: 0, sessionCallCap: null, operations: {} };

export type FaultDecision = 'none' | 'fail' | 'drop';

/** The delay of one call: the global latency plus the operation's and `*`'s own. */
export function latencyOf(settings: FaultSettings, operation: string): number {
  return settings.latencyMs + (settings.operations[operation]?.latencyMs ?? 0) + (operation === '*' ? 0 : (settings.operations['*']?.latencyMs ?? 0));
}

/**
 * Decides the fault of one call and consumes a `failNext`/`dropNext` unit; `random` is drawn only
 * for rates. Drops take precedence over failures. Returns the decision and the updated settings.
 */
export function decideFault(settings: FaultSettings, operation: string, random: () => number): { decision: FaultDecision; next: FaultSettings } {
  const keys = [operation, '*'].filter((key) => settings.operations[key] !== undefined);
  for (const [counter, decision] of [['dropNext', 'drop'], ['failNext', 'fail']] as const) {
    const key = keys.find((candidate) => settings.operations[candidate][counter] > 0);
    if (key !== undefined) {
      const faults = settings.operations[key];
      return { decision, next: { ...settings, operations: { ...settings.operations, [key]: { ...faults, [counter]: faults[counter] - 1 } } } };
    }
  }
  for (const [rate, decision] of [['dropRate', 'drop'], ['errorRate', 'fail']] as const) {
    if (keys.some((key) => settings.operations[key][rate] > 0 && random() < settings.operations[key][rate])) return { decision, next: settings };
  }
  return { decision: 'none', next: settings };
}
