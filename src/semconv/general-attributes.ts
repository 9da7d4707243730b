// Stable OpenTelemetry names (not GenAI-specific) that the normalizer reads.
// Sources: semantic-conventions v1.41.1 model/{service,error,exception,server,event}/registry.yaml.

export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_ERROR_TYPE = 'error.type';
/** error.type's fallback when the instrumentation knows only that the operation failed. */
export const ERROR_TYPE_VALUE_OTHER = '_OTHER';
export const ATTR_SERVER_ADDRESS = 'server.address';

/** The span event that records an exception (docs/general/recording-errors.md). */
export const EVENT_EXCEPTION = 'exception';
export const ATTR_EXCEPTION_TYPE = 'exception.type';

/** Event name carried as a log attribute by SDKs that predate LogRecord.event_name. */
export const ATTR_EVENT_NAME = 'event.name';
