import winston from 'winston';

/** The one logger type modules receive; create children with ids via `child`. */
export type Logger = winston.Logger;

export interface LoggerOptions {
  level: 'error' | 'warn' | 'info' | 'debug';
  format: 'json' | 'pretty';
  /** Silences output (tests). */
  silent?: boolean;
}

/** Keys whose values never reach a log line, whatever module logs them. */
const SECRET_KEYS = /(token|password|secret|authorization|api[-_]?key|cookie)/i;

const redactSecrets = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (SECRET_KEYS.test(key)) info[key] = '[redacted]';
  }
  return info;
});

/** Creates the service logger: JSON lines in production, coloured one-liners in development. */
export function createLogger(options: LoggerOptions): Logger {
  const pretty = winston.format.combine(
    winston.format.colorize(),
    winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
    winston.format.printf(({ level, message, timestamp, ...fields }) => {
      const rest = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      return `${String(timestamp)} ${level} ${String(message)}${rest}`;
    }),
  );
  return winston.createLogger({
    level: options.level,
    silent: options.silent ?? false,
    format: winston.format.combine(
      redactSecrets(),
      options.format === 'json' ? winston.format.combine(winston.format.timestamp(), winston.format.json()) : pretty,
    ),
    transports: [new winston.transports.Console()],
  });
}

/** A logger that drops everything, for tests and tools that print their own output. */
export function silentLogger(): Logger {
  return createLogger({ level: 'error', format: 'json', silent: true });
}
