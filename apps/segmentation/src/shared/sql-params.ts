/**
 * Collects bind parameters while SQL text is assembled: `params.add(value)` returns `$n`. Values
 * never enter the SQL text; only code-owned fragments (column names from a fixed catalogue) do.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}
