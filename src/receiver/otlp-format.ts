/** The two OTLP/HTTP body encodings (spec: "OTLP/HTTP Request"); anything else is a 415. */
export type OtlpFormat = 'protobuf' | 'json';

export function formatOfContentType(contentType: string | undefined): OtlpFormat | null {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  return null;
}

export const CONTENT_TYPE_OF: Record<OtlpFormat, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};
