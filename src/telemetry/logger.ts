import pino, { type Logger } from 'pino';

/**
 * One root logger; each component takes a child with `component` set. Secrets and prompt
 * content never reach the log, whatever a component passes in.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'warden' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'authorization',
          '*.authorization',
          'headers.authorization',
          'token',
          '*.token',
          'password',
          '*.password',
          'signingSecret',
          '*.signingSecret',
          'routingKey',
          '*.routingKey',
          'hashKey',
          '*.hashKey',
          'attributes',
          '*.attributes',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
