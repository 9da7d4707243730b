import { Session } from 'chdb';

/** Connections of the priority lane: enough that the rows of one alert (its notice, the action,
 *  the callback) are written side by side rather than one after another. */
const PRIORITY_CONNECTIONS = 3;

export interface RawInsert {
  table: string;
  values: Buffer;
  format: 'JSONEachRow';
}

/**
 * Extra connections to the embedded engine's data directory for small urgent writes. The engine
 * runs one statement at a time per connection, and a 5 000-row span insert holds it for
 * 100-1000 ms; a one-row write that an alert notice or a suspension callback waits for (the
 * outbox, the actions log) must not queue behind it. The engine runs statements of different
 * connections in parallel (measured under span load: a one-row insert 200 ms p50 on the shared
 * connection, 9 ms on its own). A server takes parallel inserts anyway.
 */
export interface PriorityLane {
  /** On the least busy open connection; false when none could be opened or the lane is closed
   *  (the caller then uses the shared connection, slower). */
  insert(params: RawInsert): Promise<boolean>;
  close(): void;
}

export function createPriorityLane(path: string): PriorityLane {
  let sessions: Session[] | null = null;
  let inFlight: number[] = [];
  let closed = false;

  // Opened with the first priority write: a Warden that never alerts holds no extra connection.
  function open(): Session[] {
    if (sessions !== null) return sessions;
    sessions = [];
    try {
      for (let i = 0; i < PRIORITY_CONNECTIONS; i++) sessions.push(new Session(path));
    } catch {
      // The engine refused another connection: those opened serve, or the shared one.
    }
    inFlight = sessions.map(() => 0);
    return sessions;
  }

  return {
    async insert(params) {
      if (closed) return false;
      const held = open();
      let pick = -1;
      for (let i = 0; i < held.length; i++) {
        if (!held[i]!.open) continue;
        if (pick === -1 || inFlight[i]! < inFlight[pick]!) pick = i;
      }
      if (pick === -1) return false;
      inFlight[pick]!++;
      try {
        await held[pick]!.insert(params);
      } finally {
        inFlight[pick]!--;
      }
      return true;
    },
    close() {
      closed = true;
      for (const session of sessions ?? []) session.close();
    },
  };
}
