/** Quotes a PostgreSQL identifier (schema, table) that comes from configuration, never from users. */
export function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(`Refusing identifier ${JSON.stringify(name)}: use lower-case letters, digits and _`);
  }
  return `"${name}"`;
}
