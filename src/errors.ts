/**
 * The base of every error the service raises on purpose. `code` is stable and machine-readable;
 * `status` is the HTTP status it maps to; `message` is safe to show to the caller.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, code = 'invalid_request') {
    super(code, message, 400);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', `${what} not found`, 404);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'missing or invalid credentials') {
    super('unauthorized', message, 401);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 409);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super('payload_too_large', message, 413);
  }
}

export class KnowledgeValidationError extends AppError {
  constructor(
    message: string,
    readonly problems: KnowledgeProblem[],
  ) {
    super('knowledge_invalid', message, 422);
  }
}

export class KnowledgeVersionNotFoundError extends AppError {
  constructor(version: number) {
    super('kb_version_not_found', `knowledge-base version ${version} does not exist`, 404);
  }
}

export class KnowledgeNotPublishedError extends AppError {
  constructor() {
    super('kb_not_published', 'no knowledge-base version is live yet', 503);
  }
}

export class VectorStoreUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('vector_store_unavailable', message, 503, options);
  }
}

/** One problem found in the knowledge files, located precisely enough for an editor to fix it. */
export interface KnowledgeProblem {
  severity: 'error' | 'warning';
  file: string;
  /** Line in a text file, or row in a sheet (1-based). */
  line?: number;
  field?: string;
  message: { en: string; zh: string };
}
