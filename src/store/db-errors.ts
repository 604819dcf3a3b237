/**
 * Recognizes the few database errors the store reacts to, on both engines, from the error
 * shapes of `pg` (SQLSTATE in `code`, constraint name in `constraint`) and better-sqlite3
 * (`SQLITE_CONSTRAINT_*` in `code`, the columns in the message).
 *
 * @module
 */

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

function asDriverError(error: unknown): DriverError {
  return typeof error === 'object' && error !== null ? (error as DriverError) : {};
}

/**
 * Whether `error` is a unique violation of the named constraint. SQLite does not report
 * constraint names, so there the `columns` ("table.column") must all appear in the message.
 */
export function isUniqueViolation(
  error: unknown,
  constraint: { name: string; columns: readonly string[] },
): boolean {
  const { code, message, constraint: name } = asDriverError(error);
  if (code === '23505') return name === constraint.name;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof message === 'string') {
    return constraint.columns.every((column) => message.includes(column));
  }
  return false;
}

/** Whether `error` is a foreign-key violation (a row names a parent that does not exist). */
export function isForeignKeyViolation(error: unknown): boolean {
  const { code } = asDriverError(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
