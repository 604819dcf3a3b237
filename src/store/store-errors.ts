import { AppError } from '../errors.js';

/**
 * Typed errors of the store. Each has a stable `code` so the HTTP layer can map it to a
 * status without string matching; vendor errors (pg, better-sqlite3) travel as `cause`.
 */
export class StoreError extends AppError {
  constructor(code: string, message: string, options?: { cause?: unknown; status?: number }) {
    super(code, message, options?.status ?? 500, options);
    this.name = 'StoreError';
  }
}

/** A row read back from the database does not match the record it should hold. */
export class StoreRowInvalidError extends StoreError {
  constructor(table: string, id: string, detail: string, options?: { cause?: unknown }) {
    super('store_row_invalid', `Invalid ${table} row ${JSON.stringify(id)}: ${detail}`, options);
    this.name = 'StoreRowInvalidError';
  }
}

/** A write named a conversation that does not exist. */
export class ConversationNotFoundError extends StoreError {
  constructor(conversationId: string, options?: { cause?: unknown }) {
    super('conversation_not_found', `Conversation ${JSON.stringify(conversationId)} not found`, { ...options, status: 404 });
    this.name = 'ConversationNotFoundError';
  }
}

/** Schema migration failed; the database is left at the last migration that succeeded. */
export class StoreMigrationError extends StoreError {
  constructor(migrationName: string | undefined, options?: { cause?: unknown }) {
    super('store_migration_failed', `Store migration ${migrationName ?? '(setup)'} failed`, options);
    this.name = 'StoreMigrationError';
  }
}

/** The event bus could not deliver an event to the database. */
export class EventBusUnavailableError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('event_bus_unavailable', message, { ...options, status: 503 });
    this.name = 'EventBusUnavailableError';
  }
}
