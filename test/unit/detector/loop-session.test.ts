import { describe, expect, it } from 'vitest';
import { callCount, callId, countCall, createLoopSession, MAX_CALL_COUNT, unknownCallId } from '../../../src/detector/loop-session.ts';

describe('a loop session\'s call records', () => {
  it('count each distinct call under an id of its own, apart from actions with unknown arguments', () => {
    const session = createLoopSession();
    const search = countCall(session, 'search\u0000h1', 256);
    expect([callId(search), callCount(search)]).toEqual([0, 1]);
    // Unknown arguments take negative ids and leave the tracked ids alone.
    expect([unknownCallId(session), unknownCallId(session)]).toEqual([-1, -2]);
    const open = countCall(session, 'open\u0000h2', 256);
    expect([callId(open), callCount(open)]).toEqual([1, 1]);
    const again = countCall(session, 'search\u0000h1', 256);
    expect([callId(again), callCount(again)]).toEqual([0, 2]);
  });

  it('stop counting at MAX_CALL_COUNT and keep the id', () => {
    const session = createLoopSession();
    let call = 0;
    for (let i = 0; i < MAX_CALL_COUNT + 10; i++) call = countCall(session, 'poll\u0000same', 256);
    expect(callCount(call)).toBe(MAX_CALL_COUNT);
    expect(callId(call)).toBe(0);
    // Still a small integer for V8: no number object per update.
    expect(call).toBeLessThan(2 ** 30);
  });

  it('drop the oldest tracked call past the per-session bound', () => {
    const session = createLoopSession();
    for (let i = 0; i < 5; i++) countCall(session, `tool\u0000h${i}`, 4);
    expect([...session.calls!.keys()]).toEqual(['tool\u0000h1', 'tool\u0000h2', 'tool\u0000h3', 'tool\u0000h4']);
    expect(callId(session.calls!.get('tool\u0000h4')!)).toBe(4);
  });
});
