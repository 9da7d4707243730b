// What makes a pre-encoded payload replayable: the ids that must differ on every send carry a
// marker, so their bytes can be found once after encoding and rewritten in place before a send.

/** Bytes 8-11 of every trace id; bytes 12-15 are the send counter (big-endian). */
export const TRACE_MARKER_HEX = 'b7e54c2d';
export const TRACE_MARKER = Buffer.from(TRACE_MARKER_HEX, 'hex');

/** Followed in every session id by the send counter as eight lowercase hex digits. */
export const SESSION_MARKER = '~R~';
