/** What one export request came back with, from the client's side. */
export type SendOutcome =
  /** 2xx / gRPC OK; `rejected` spans refused through OTLP partial success. */
  | { kind: 'ok'; rejected: number }
  /** 429 / 503 / UNAVAILABLE: Warden asked the client to retry later. */
  | { kind: 'pushback' }
  | { kind: 'error'; message: string };

/** Sends one encoded ExportTraceServiceRequest. */
export type Sender = (body: Buffer) => Promise<SendOutcome>;

export interface SenderHandle {
  send: Sender;
  close(): void;
}
