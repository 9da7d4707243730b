/** How deeply arrayValue/kvlistValue may nest inside one AnyValue. Real instrumentation stays
 *  in single digits; the bound exists so a hostile body cannot exhaust the stack of the
 *  recursive decoders (both wire formats share it so they accept the same inputs). */
export const MAX_ANY_VALUE_DEPTH = 32;
